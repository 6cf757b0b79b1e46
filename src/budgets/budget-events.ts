/**
 * The `budget.*` events the budget service writes, and the wait events it
 * shares with the engine. Amounts are integer micro-dollars; no URL or secret
 * is ever part of an event.
 */
import type { BudgetAction, BudgetPeriod, BudgetScope } from '../cost/index.ts';

export const BUDGET_EVENTS = {
  set: 'budget.set',
  reserved: 'budget.reserved',
  settled: 'budget.settled',
  released: 'budget.released',
  approaching: 'budget.approaching',
  escalated: 'budget.escalated',
  deferred: 'budget.deferred',
} as const;

/** `budget.set`: a budget defined or changed from the CLI. */
export interface BudgetSetData {
  id: string;
  scope: BudgetScope;
  target: string | null;
  period: BudgetPeriod;
  limitMicros: number;
  approachingAt: number;
  hardCap: boolean;
  owner: string;
  approvalAboveMicros: number;
}

/** `budget.reserved`: a dispatch's estimate held against every enclosing budget. */
export interface BudgetReservedData {
  dispatchId: string;
  budgetIds: string[];
  amountMicros: number;
  /** Per budget, how much of the amount lies past its limit (admitted by approval or policy). */
  pastLimitMicros: Record<string, number>;
  action: BudgetAction;
  priority: string;
  /** Which orchestrator holds the reservation (released on recovery when it is gone). */
  holder: string;
}

/** `budget.settled`: the actual cost replaces the reservation. */
export interface BudgetSettledData {
  dispatchId: string;
  budgetIds: string[];
  reservedMicros: number;
  actualMicros: number;
  /** Hard-capped budgets whose settled spend now exceeds the limit. */
  overrunBy: string[];
}

/** `budget.released`: a reservation dropped without spend. */
export interface BudgetReleasedData {
  dispatchId: string;
  budgetIds: string[];
  amountMicros: number;
  reason: string;
}

/** `budget.approaching` / `budget.escalated`: a notice to the budget's owner, once per period. */
export interface BudgetNoticeData {
  budgetId: string;
  owner: string;
  state: string;
  committedMicros: number;
  limitMicros: number;
  periodStart: string;
  reason: string;
}

/** `wait.started` data when a dispatch waits on a budget. */
export interface BudgetWaitData {
  reason: 'budget';
  waitId: string;
  action: BudgetAction;
  budgets: string[];
  detail: string;
}
