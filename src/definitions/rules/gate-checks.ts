/** Walks the checks of a gate, including those nested in `all_of` / `any_of`. */
import type { GateInput, GateMemberInput } from '../schemas/index.ts';
import type { FieldPath } from '../source/yaml-source.ts';

export type CheckKind = 'command' | 'review' | 'human' | 'all_of' | 'any_of';
export const CHECK_KINDS: readonly CheckKind[] = ['command', 'review', 'human', 'all_of', 'any_of'];

/** The check kinds a gate or member declares (exactly one is valid). */
export function kindsOf(gate: GateInput | GateMemberInput): CheckKind[] {
  return CHECK_KINDS.filter((kind) => gate[kind] !== undefined);
}

/** Calls `visit` for the gate itself and every nested member, with their field paths. */
export function forEachCheck(
  gate: GateInput | GateMemberInput,
  path: FieldPath,
  visit: (check: GateInput | GateMemberInput, path: FieldPath) => void,
): void {
  visit(gate, path);
  for (const group of ['all_of', 'any_of'] as const) {
    gate[group]?.forEach((member, i) => {
      forEachCheck(member, [...path, group, i], visit);
    });
  }
}
