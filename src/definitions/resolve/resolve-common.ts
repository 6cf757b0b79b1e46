/** Small compile steps shared by the resolvers: durations and escalation ladders. */

import type { z } from 'zod';
import type { RuntimeKind } from '../../core/index.ts';
import { parseDuration } from '../duration.ts';
import type {
  CLAUDE_PERMISSION_MODES,
  CODEX_SANDBOXES,
  escalationStepSchema,
  RuntimeInput,
} from '../schemas/index.ts';
import type { EscalationStep, Runtime } from '../types.ts';

/** Milliseconds of an already-validated duration (undefined stays undefined). */
export function ms(duration: string | undefined): number | undefined {
  return duration === undefined ? undefined : parseDuration(duration);
}

/** Converts the file's escalation steps to tagged objects. */
export function escalation(
  steps: readonly z.infer<typeof escalationStepSchema>[],
): EscalationStep[] {
  return steps.map((step): EscalationStep => {
    if (step === 'abort') return { kind: 'abort' };
    if ('rework' in step) return { kind: 'rework', max: step.rework };
    if ('escalate_tier' in step) return { kind: 'escalate-tier', max: step.escalate_tier };
    return { kind: 'human', role: step.human };
  });
}

/** The ladder used when neither the gate nor its pass's agent defines one: rework twice, then stop. */
export const DEFAULT_ON_FAIL: readonly EscalationStep[] = [
  { kind: 'rework', max: 2 },
  { kind: 'abort' },
];

/** Every option any runtime kind may carry, for reading a bare kind and an object alike. */
interface LooseRuntime {
  kind: RuntimeKind;
  max_turns?: number;
  allowed_tools?: string[];
  disallowed_tools?: string[];
  permission_mode?: (typeof CLAUDE_PERMISSION_MODES)[number];
  sandbox?: (typeof CODEX_SANDBOXES)[number];
  run?: string[];
  timeout?: string;
}

/** Normalises a runtime (bare kind or object; default `llm`) to an object with every option present. */
export function runtime(input: RuntimeInput | undefined): Runtime {
  const value = input ?? 'llm';
  const o: LooseRuntime = typeof value === 'string' ? { kind: value } : value;
  const timeoutMs = ms(o.timeout);
  switch (o.kind) {
    case 'claude-code':
      return {
        kind: 'claude-code',
        maxTurns: o.max_turns,
        allowedTools: o.allowed_tools ?? [],
        disallowedTools: o.disallowed_tools ?? [],
        permissionMode: o.permission_mode,
        timeoutMs,
      };
    case 'codex':
      return { kind: 'codex', sandbox: o.sandbox, timeoutMs };
    case 'command':
      return { kind: 'command', run: o.run ?? [], timeoutMs };
    case 'llm':
    case 'human':
      return { kind: o.kind, timeoutMs };
  }
}
