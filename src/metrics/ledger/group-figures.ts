/**
 * Figures per team, project and ISO week over the items that ended in a group
 * (merged, else completed): cost per merged change and per shipped feature,
 * token efficiency, acceptance rate, cycle time, wait-state ratio, and cost by
 * role (agent category) and by model.
 */
import { type Distribution, distribution, isoWeek, type Ratio } from '../figures.ts';
import { type ItemFigures, ratio } from './item-figures.ts';
import type { CallFact, ItemFacts } from './read-events.ts';

/** A cost per unit, with what it was computed from; `value` is null when there is no unit. */
export interface CostPer {
  value: number | null;
  costUsd: number;
  count: number;
  unpricedCalls: number;
}

export interface CostRow {
  name: string;
  costUsd: number;
  calls: number;
  unpricedCalls: number;
  tokens: number;
}

export interface RoleModelRow {
  role: string;
  model: string;
  costUsd: number;
  calls: number;
  unpricedCalls: number;
  tokens: number;
}

export interface GroupFigures {
  key: string;
  /** Items that ended in the group (merged or completed). */
  items: number;
  merged: number;
  mergedFeatures: number;
  cycleTimeHours: Distribution;
  waitStateRatio: { value: number | null; waitingHours: number; cycleHours: number };
  firstPassAcceptance: Ratio;
  costPerMergedChange: CostPer;
  costPerShippedFeature: CostPer;
  tokensPerGoodChange: { value: number | null; tokens: number; changes: number };
  aiAcceptanceRate: Ratio;
  costByRole: CostRow[];
  costByModel: CostRow[];
}

/** One item's figures and facts side by side. */
export interface ItemPair {
  facts: ItemFacts;
  figures: ItemFigures;
}

/** The week an ended item belongs to, or null while it is open. */
export function itemWeek(pair: ItemPair): string | null {
  return pair.figures.endedAt === null ? null : isoWeek(Date.parse(pair.figures.endedAt) / 1000);
}

function costPer(list: readonly ItemFigures[]): CostPer {
  const costUsd = list.reduce((s, i) => s + i.costUsd, 0);
  return {
    value: list.length === 0 ? null : costUsd / list.length,
    costUsd,
    count: list.length,
    unpricedCalls: list.reduce((s, i) => s + i.unpricedCalls, 0),
  };
}

/** Cost rows of calls, keyed by `key`, most expensive first. */
export function costRows(calls: readonly CallFact[], key: (c: CallFact) => string): CostRow[] {
  const rows = new Map<string, CostRow>();
  for (const c of calls) {
    if (c.reused) continue;
    const name = key(c);
    const row = rows.get(name) ?? { name, costUsd: 0, calls: 0, unpricedCalls: 0, tokens: 0 };
    row.calls++;
    row.tokens += c.tokens;
    if (c.costUsd === null) row.unpricedCalls++;
    else row.costUsd += c.costUsd;
    rows.set(name, row);
  }
  return [...rows.values()].sort(
    (a, b) => b.costUsd - a.costUsd || b.calls - a.calls || a.name.localeCompare(b.name),
  );
}

/** The figures of one group of ended items. */
export function groupFigures(
  key: string,
  pairs: readonly ItemPair[],
  roleOf: (c: CallFact) => string,
): GroupFigures {
  const items = pairs.map((p) => p.figures);
  const merged = items.filter((i) => i.status === 'merged');
  const features = merged.filter((i) => i.type === 'feature');
  const good = merged.filter((i) => i.rework === 'clean');
  const withCode = items.filter((i) => i.producedCode);
  const waitingHours = merged.reduce((s, i) => s + i.waitingHours, 0);
  const cycleHours = merged.reduce((s, i) => s + (i.cycleTimeHours ?? 0), 0);
  const tokens = items.reduce((s, i) => s + i.tokens, 0);
  const calls = pairs.flatMap((p) => p.facts.calls);
  return {
    key,
    items: items.length,
    merged: merged.length,
    mergedFeatures: features.length,
    cycleTimeHours: distribution(merged.map((i) => i.cycleTimeHours as number)),
    waitStateRatio: {
      value: cycleHours === 0 ? null : waitingHours / cycleHours,
      waitingHours,
      cycleHours,
    },
    firstPassAcceptance: ratio(
      items.reduce((s, i) => s + i.firstPassAcceptance.numerator, 0),
      items.reduce((s, i) => s + i.firstPassAcceptance.denominator, 0),
    ),
    costPerMergedChange: costPer(merged),
    costPerShippedFeature: costPer(features),
    tokensPerGoodChange: {
      value: good.length === 0 ? null : tokens / good.length,
      tokens,
      changes: good.length,
    },
    aiAcceptanceRate: ratio(withCode.filter((i) => i.status === 'merged').length, withCode.length),
    costByRole: costRows(calls, roleOf),
    costByModel: costRows(calls, (c) => c.model),
  };
}

/** Groups ended items by `key` and computes each group's figures, in key order. */
export function groupBy(
  pairs: readonly ItemPair[],
  key: (p: ItemPair) => string | null,
  roleOf: (c: CallFact) => string,
): GroupFigures[] {
  const groups = new Map<string, ItemPair[]>();
  for (const p of pairs) {
    if (p.figures.endedAt === null) continue;
    const k = key(p);
    if (k === null) continue;
    const list = groups.get(k);
    if (list) list.push(p);
    else groups.set(k, [p]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, list]) => groupFigures(k, list, roleOf));
}
