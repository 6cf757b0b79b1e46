/**
 * Budget periods in UTC: a monthly budget resets at 00:00 UTC on the 1st, a
 * weekly one at 00:00 UTC on Monday (ISO weeks), a total one never.
 */
import type { Budget, BudgetPeriod, ScopeIds } from './budget-types.ts';
import type { MicroUsd } from './money.ts';
import type { CallRecord } from './rollups.ts';

/** The half-open interval [start, end) of the period containing `at`; total is unbounded. */
export function periodBounds(period: BudgetPeriod, at: Date): { start: Date; end: Date } {
  const y = at.getUTCFullYear();
  const m = at.getUTCMonth();
  const d = at.getUTCDate();
  switch (period) {
    case 'total':
      return { start: new Date(-8.64e15), end: new Date(8.64e15) };
    case 'monthly':
      return { start: new Date(Date.UTC(y, m, 1)), end: new Date(Date.UTC(y, m + 1, 1)) };
    case 'weekly': {
      const sinceMonday = (at.getUTCDay() + 6) % 7;
      const start = new Date(Date.UTC(y, m, d - sinceMonday));
      return { start, end: new Date(Date.UTC(y, m, d - sinceMonday + 7)) };
    }
  }
}

/** The scope ids of a recorded call. */
export function callScopes(r: CallRecord): ScopeIds {
  return {
    org: r.org,
    team: r.team,
    project: r.project,
    work_item: r.workItemId,
    ...(r.engineer ? { engineer: r.engineer } : {}),
  };
}

/** Whether a budget covers something with these scope ids. */
export function budgetApplies(budget: Budget, scopes: ScopeIds): boolean {
  return scopes[budget.scope] === budget.scopeId;
}

/** Settled spend of the calls a budget covers within its period containing `at`. */
export function settledInPeriod(budget: Budget, calls: readonly CallRecord[], at: Date): MicroUsd {
  const { start, end } = periodBounds(budget.period, at);
  let sum = 0;
  for (const c of calls) {
    if (c.at >= start && c.at < end && budgetApplies(budget, callScopes(c))) sum += c.costMicros;
  }
  return sum;
}
