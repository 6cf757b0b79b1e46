/**
 * The budget check the scheduler runs before every dispatch (SPEC: Budget). Each
 * budget enclosing the dispatch is graded on its committed spend (settled plus
 * reserved) and on what the dispatch would add:
 *
 * | state      | condition                                   | P0/P1                        | P2/P3 (low)                        |
 * |------------|---------------------------------------------|------------------------------|------------------------------------|
 * | ok         | committed + estimate < approaching × limit  | dispatch                     | dispatch                           |
 * | approaching| … ≥ approaching × limit, ≤ limit            | dispatch                     | dispatch-if-nothing-higher-waits   |
 * | at-limit   | committed ≤ limit < committed + estimate    | wait-approval if estimate > approvalAbove, else dispatch | pause  |
 * | over       | committed > limit                           | pause-and-escalate           | pause-and-escalate                 |
 * | hard cap   | hardCap and committed + estimate > limit    | refuse                       | refuse                             |
 *
 * The most severe action over all enclosing budgets wins; every budget that
 * contributed is listed with its figures and reason.
 */

import { budgetApplies } from './budget-period.ts';
import type { Budget, BudgetSpend, ProposedDispatch } from './budget-types.ts';
import { DEFAULT_APPROACHING_AT } from './budget-types.ts';
import { formatUsd, type MicroUsd } from './money.ts';
import { isLowPriority } from './priority.ts';
import type { BudgetPressure } from './tier-selection.ts';

/** Budget actions, least severe first. */
export const BUDGET_ACTIONS = [
  'dispatch',
  'dispatch-if-nothing-higher-waits',
  'wait-approval',
  'pause',
  'pause-and-escalate',
  'refuse',
] as const;
export type BudgetAction = (typeof BUDGET_ACTIONS)[number];

export type BudgetState = 'ok' | 'approaching' | 'at-limit' | 'over' | 'hard-cap';

export interface BudgetFinding {
  budgetId: string;
  owner: string;
  state: BudgetState;
  action: BudgetAction;
  committedMicros: MicroUsd;
  projectedMicros: MicroUsd;
  limitMicros: MicroUsd;
  reason: string;
}

export interface BudgetDecision {
  action: BudgetAction;
  /** The budgets whose finding set the action (all findings are in `findings`). */
  decidedBy: string[];
  findings: BudgetFinding[];
  reason: string;
}

function severity(a: BudgetAction): number {
  return BUDGET_ACTIONS.indexOf(a);
}

/** Grades one budget for one dispatch. */
export function gradeBudget(
  budget: Budget,
  spend: BudgetSpend,
  dispatch: ProposedDispatch,
): BudgetFinding {
  const committed = spend.settledMicros + spend.reservedMicros;
  const projected = committed + dispatch.estimateMicros;
  const limit = budget.limitMicros;
  const approachingAt = budget.approachingAt ?? DEFAULT_APPROACHING_AT;
  const low = isLowPriority(dispatch.priority);
  const figures = `${formatUsd(committed)} committed + ${formatUsd(dispatch.estimateMicros)} estimate of ${formatUsd(limit)}`;
  const finding = (state: BudgetState, action: BudgetAction, why: string): BudgetFinding => ({
    budgetId: budget.id,
    owner: budget.owner,
    state,
    action,
    committedMicros: committed,
    projectedMicros: projected,
    limitMicros: limit,
    reason: `budget ${budget.id} ${why} (${figures})`,
  });
  if (budget.hardCap && projected > limit)
    return finding('hard-cap', 'refuse', 'is a hard cap that this dispatch would exceed');
  if (committed > limit)
    return finding('over', 'pause-and-escalate', `is over its limit; escalate to ${budget.owner}`);
  if (projected > limit) {
    if (low)
      return finding('at-limit', 'pause', `is at its limit; ${dispatch.priority} work pauses`);
    const above = budget.approvalAboveMicros ?? 0;
    if (dispatch.estimateMicros > above)
      return finding(
        'at-limit',
        'wait-approval',
        `is at its limit and the estimate exceeds ${formatUsd(above)}; ${budget.owner} must approve`,
      );
    return finding(
      'at-limit',
      'dispatch',
      `is at its limit; a small ${dispatch.priority} dispatch proceeds`,
    );
  }
  if (projected >= approachingAt * limit) {
    return low
      ? finding(
          'approaching',
          'dispatch-if-nothing-higher-waits',
          `is approaching its limit; ${dispatch.priority} work yields`,
        )
      : finding('approaching', 'dispatch', 'is approaching its limit');
  }
  return finding('ok', 'dispatch', 'has room');
}

/** Decides what the scheduler may do with a dispatch, given every budget and its spend. */
export function evaluateBudgets(
  budgets: readonly Budget[],
  spend: (budgetId: string) => BudgetSpend,
  dispatch: ProposedDispatch,
): BudgetDecision {
  const findings = budgets
    .filter((b) => budgetApplies(b, dispatch.scopes))
    .map((b) => gradeBudget(b, spend(b.id), dispatch));
  if (findings.length === 0)
    return {
      action: 'dispatch',
      decidedBy: [],
      findings,
      reason: 'no budget covers this dispatch',
    };
  const worst = findings.reduce((a, f) => Math.max(a, severity(f.action)), 0);
  const deciding = findings.filter((f) => severity(f.action) === worst);
  const action = BUDGET_ACTIONS[worst] ?? 'dispatch';
  return {
    action,
    decidedBy: deciding.map((f) => f.budgetId),
    findings,
    reason: deciding.map((f) => f.reason).join('; '),
  };
}

/** How tight money is for routing: the worst budget state of a decision, as tier selection reads it. */
export function budgetPressure(decision: BudgetDecision): BudgetPressure {
  const states = new Set(decision.findings.map((f) => f.state));
  if (states.has('over') || states.has('at-limit') || states.has('hard-cap')) return 'at-limit';
  return states.has('approaching') ? 'approaching' : 'none';
}
