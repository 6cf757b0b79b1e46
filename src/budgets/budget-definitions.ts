/**
 * Budget definitions as the ledger keeps them: from keel.yaml and from
 * `budget.set` events (later wins by id), and the concrete budgets a dispatch
 * falls under. A definition without a target (work-item and engineer budgets)
 * applies to each item or engineer separately: its concrete id is `id/scopeId`.
 */
import {
  type Budget,
  type BudgetPeriod,
  type BudgetScope,
  DEFAULT_APPROACHING_AT,
  type ScopeIds,
  usdToMicros,
} from '../cost/index.ts';
import type { KeelConfig } from '../definitions/index.ts';

export interface BudgetDefinition {
  id: string;
  scope: BudgetScope;
  /** The org, team, project, item or engineer; undefined: each item / each engineer. */
  target: string | undefined;
  period: BudgetPeriod;
  limitMicros: number;
  approachingAt: number;
  hardCap: boolean;
  /** A role or handle that is notified and escalated to. */
  owner: string;
  /** At the limit, a P0/P1 dispatch estimated above this waits for an approval. */
  approvalAboveMicros: number;
}

/** The budgets of a resolved keel.yaml. */
export function budgetsFromConfig(config: KeelConfig): BudgetDefinition[] {
  return config.budgets.map((b) => ({
    id: b.id,
    scope: b.scope,
    target: b.target,
    period: b.period,
    limitMicros: usdToMicros(b.limitUsd),
    approachingAt: b.approachingAt,
    hardCap: b.hardCap,
    owner: b.owner ?? 'unassigned',
    approvalAboveMicros: usdToMicros(b.approvalAboveUsd ?? 0),
  }));
}

/** keel.yaml's budgets overlaid with those set in the ledger (a ledger entry wins by id). */
export function mergeDefinitions(
  fromConfig: readonly BudgetDefinition[],
  fromLedger: ReadonlyMap<string, BudgetDefinition>,
): BudgetDefinition[] {
  const byId = new Map<string, BudgetDefinition>();
  for (const d of fromConfig) byId.set(d.id, d);
  for (const [id, d] of fromLedger) byId.set(id, d);
  return [...byId.values()].sort((a, b) => a.id.localeCompare(b.id));
}

/** The concrete budget id of a definition for a dispatch's scope id. */
export function concreteId(def: BudgetDefinition, scopeId: string): string {
  return def.target === undefined ? `${def.id}/${scopeId}` : def.id;
}

/** The concrete budgets that enclose a dispatch with these scope ids. */
export function enclosingBudgets(defs: readonly BudgetDefinition[], scopes: ScopeIds): Budget[] {
  const out: Budget[] = [];
  for (const d of defs) {
    const scopeId = scopes[d.scope];
    if (scopeId === undefined) continue;
    if (d.target !== undefined && d.target !== scopeId) continue;
    out.push({
      id: concreteId(d, scopeId),
      scope: d.scope,
      scopeId,
      period: d.period,
      limitMicros: d.limitMicros,
      approachingAt: d.approachingAt ?? DEFAULT_APPROACHING_AT,
      hardCap: d.hardCap,
      owner: d.owner,
      approvalAboveMicros: d.approvalAboveMicros,
    });
  }
  return out;
}

/** The definition a concrete budget id comes from. */
export function definitionOf(
  defs: readonly BudgetDefinition[],
  concrete: string,
): BudgetDefinition | undefined {
  return defs.find((d) => d.id === concrete || concrete.startsWith(`${d.id}/`));
}
