/** The one definition of "low priority" that budgets and routing share. */
import type { Priority } from '../core/index.ts';

/** P2 and P3 are low priority: they slow down and pause first when money runs short. */
export const LOW_PRIORITIES: readonly Priority[] = ['P2', 'P3'];

/** True for work that yields to higher priorities under budget pressure. */
export function isLowPriority(priority: Priority): boolean {
  return LOW_PRIORITIES.includes(priority);
}
