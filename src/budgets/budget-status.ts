/**
 * Where each budget stands now: its concrete instances (one per item or
 * engineer for a budget without a target), settled and reserved spend in the
 * current period, and its state as `evaluateBudgets` grades it. Pure.
 */
import { type Budget, type BudgetState, evaluateBudgets, periodBounds } from '../cost/index.ts';
import { type BudgetBook, spendOf } from './budget-book.ts';
import type { BudgetDefinition } from './budget-definitions.ts';

export interface BudgetStatus {
  id: string;
  definition: string;
  scope: string;
  scopeId: string | null;
  period: string;
  periodStart: string | null;
  limitMicros: number;
  settledMicros: number;
  reservedMicros: number;
  state: BudgetState;
  hardCap: boolean;
  owner: string;
  source: 'keel.yaml' | 'ledger';
}

/** Every concrete budget's status; a budget per item/engineer appears once per id it has spent on. */
export function budgetStatuses(
  defs: readonly BudgetDefinition[],
  book: BudgetBook,
  now: Date,
): BudgetStatus[] {
  const seen = new Set<string>([...book.settled.keys()]);
  for (const r of book.reservations.values()) for (const id of r.budgetIds) seen.add(id);
  const out: BudgetStatus[] = [];
  for (const d of defs) {
    const ids =
      d.target !== undefined
        ? [{ id: d.id, scopeId: d.target }]
        : [...seen]
            .filter((id) => id.startsWith(`${d.id}/`))
            .sort()
            .map((id) => ({ id, scopeId: id.slice(d.id.length + 1) }));
    if (ids.length === 0) ids.push({ id: d.id, scopeId: '' });
    for (const { id, scopeId } of ids) {
      const budget: Budget = {
        id,
        scope: d.scope,
        scopeId,
        period: d.period,
        limitMicros: d.limitMicros,
        approachingAt: d.approachingAt,
        hardCap: d.hardCap,
        owner: d.owner,
        approvalAboveMicros: d.approvalAboveMicros,
      };
      const spend = spendOf(book, budget, now);
      const decision = evaluateBudgets([budget], () => spend, {
        estimateMicros: 0,
        priority: 'P1',
        scopes: { [d.scope]: scopeId },
      });
      out.push({
        id,
        definition: d.id,
        scope: d.scope,
        scopeId: scopeId || null,
        period: d.period,
        periodStart: d.period === 'total' ? null : periodBounds(d.period, now).start.toISOString(),
        limitMicros: d.limitMicros,
        settledMicros: spend.settledMicros,
        reservedMicros: spend.reservedMicros,
        state: decision.findings[0]?.state ?? 'ok',
        hardCap: d.hardCap,
        owner: d.owner,
        source: book.definitions.has(d.id) ? 'ledger' : 'keel.yaml',
      });
    }
  }
  return out;
}
