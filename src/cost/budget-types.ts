/**
 * Budgets as the scheduler sees them: a limit in micro-dollars at a scope over a
 * period, with the thresholds that grade its actions.
 */
import type { Priority } from '../core/index.ts';
import type { MicroUsd } from './money.ts';

export const BUDGET_SCOPES = ['org', 'team', 'project', 'work_item', 'engineer'] as const;
export type BudgetScope = (typeof BUDGET_SCOPES)[number];

export const BUDGET_PERIODS = ['total', 'monthly', 'weekly'] as const;
export type BudgetPeriod = (typeof BUDGET_PERIODS)[number];

/** Default share of the limit at which a budget counts as approaching. */
export const DEFAULT_APPROACHING_AT = 0.8;

export interface Budget {
  id: string;
  scope: BudgetScope;
  /** The org, team, project, work item or engineer the budget is for. */
  scopeId: string;
  period: BudgetPeriod;
  limitMicros: MicroUsd;
  /** Share of the limit (0–1) from which the budget is approaching; default 0.8. */
  approachingAt?: number;
  /** Refuse any dispatch that could take spend past the limit, instead of grading. */
  hardCap?: boolean;
  owner: string;
  /** At the limit, a high-priority dispatch estimated above this needs approval (default 0: all do). */
  approvalAboveMicros?: MicroUsd;
}

/** The scopes a dispatch (or a recorded call) belongs to. */
export type ScopeIds = Partial<Record<BudgetScope, string>>;

/** Spend counted against a budget in its current period. */
export interface BudgetSpend {
  settledMicros: MicroUsd;
  /** Estimates of dispatched calls not yet settled. */
  reservedMicros: MicroUsd;
}

export interface ProposedDispatch {
  estimateMicros: MicroUsd;
  priority: Priority;
  scopes: ScopeIds;
}
