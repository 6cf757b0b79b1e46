/** Which modes a workflow has and which passes run in each: shared by validation, resolution and planning. */
import { MODES } from '../core/index.ts';
import type { WorkflowFile } from './schemas/index.ts';

/** The modes a workflow declares; a workflow without `modes` has the three standard modes, unchanged. */
export function declaredModes(workflow: Pick<WorkflowFile, 'modes'>): string[] {
  return workflow.modes === undefined ? [...MODES] : Object.keys(workflow.modes);
}

/** The mode used when a work item names none: `default_mode`, else `balanced` if declared, else the first. */
export function defaultModeOf(workflow: Pick<WorkflowFile, 'modes' | 'default_mode'>): string {
  const modes = declaredModes(workflow);
  return (
    workflow.default_mode ?? (modes.includes('balanced') ? 'balanced' : (modes[0] ?? 'balanced'))
  );
}

/** True when a pass restricted to `passModes` (undefined: every mode) runs in `mode`. */
export function runsIn(passModes: readonly string[] | undefined, mode: string): boolean {
  return passModes === undefined || passModes.includes(mode);
}
