/**
 * Multiple-granularity lock modes (Gray et al., "Granularity of Locks", 1976):
 * the compatibility matrix and the intention mode a lock implies on ancestors.
 */

export const LOCK_MODES = ['IS', 'IX', 'S', 'SIX', 'X'] as const;
export type LockMode = (typeof LOCK_MODES)[number];

// Row = held, column = requested; the matrix is symmetric.
const COMPATIBLE: Readonly<Record<LockMode, readonly LockMode[]>> = {
  IS: ['IS', 'IX', 'S', 'SIX'],
  IX: ['IS', 'IX'],
  S: ['IS', 'S'],
  SIX: ['IS'],
  X: [],
};

/** True when two owners may hold `a` and `b` on the same node at once. */
export function compatible(a: LockMode, b: LockMode): boolean {
  return COMPATIBLE[a].includes(b);
}

/** The intention mode taken on every ancestor of a node locked in `mode`. */
export function intentionFor(mode: LockMode): 'IS' | 'IX' {
  return mode === 'S' || mode === 'IS' ? 'IS' : 'IX';
}

/** True when `value` is one of the five lock modes. */
export function isLockMode(value: unknown): value is LockMode {
  return typeof value === 'string' && (LOCK_MODES as readonly string[]).includes(value);
}
