/**
 * Attribution rollups over model-call records: cost and tokens grouped by any
 * combination of work item, pass, agent, category, model, provider, workflow,
 * project, team or UTC day. Sums are of integer micro-dollars, so the groups'
 * totals always equal the sum of the parts, to the micro-dollar.
 */
import { addUsage, emptyUsage, type TokenUsage } from '../core/index.ts';
import { type MicroUsd, microsToUsd } from './money.ts';

/** What the ledger keeps of one priced model call, for attribution. */
export interface CallRecord {
  costMicros: MicroUsd;
  usage: TokenUsage;
  attemptId: string;
  pass: string;
  workItemId: string;
  project: string;
  team: string;
  org: string;
  agent: string;
  category: string;
  model: string;
  provider: string;
  workflow: string;
  mode: string;
  /** The engineer the work is attributed to, for learning budgets. */
  engineer?: string;
  at: Date;
}

export const ROLLUP_DIMENSIONS = [
  'item',
  'pass',
  'agent',
  'category',
  'model',
  'provider',
  'workflow',
  'project',
  'team',
  'day',
] as const;
export type RollupDimension = (typeof ROLLUP_DIMENSIONS)[number];

export interface RollupGroup {
  key: Partial<Record<RollupDimension, string>>;
  costMicros: MicroUsd;
  costUsd: number;
  calls: number;
  usage: TokenUsage;
}

export interface Rollup {
  by: RollupDimension[];
  groups: RollupGroup[];
  totalMicros: MicroUsd;
  totalUsd: number;
  calls: number;
}

/** The value of one dimension for a record. */
export function dimensionValue(r: CallRecord, d: RollupDimension): string {
  switch (d) {
    case 'item':
      return r.workItemId;
    case 'day':
      return r.at.toISOString().slice(0, 10);
    default:
      return r[d];
  }
}

/** Groups records by the given dimensions, most expensive group first. */
export function rollup(records: readonly CallRecord[], by: readonly RollupDimension[]): Rollup {
  const groups = new Map<string, RollupGroup>();
  let total = 0;
  for (const r of records) {
    if (!Number.isSafeInteger(r.costMicros)) {
      throw new RangeError(`call ${r.attemptId} has a non-integer cost ${r.costMicros} µ$`);
    }
    const values = by.map((d) => dimensionValue(r, d));
    const id = JSON.stringify(values);
    let g = groups.get(id);
    if (!g) {
      const key: Partial<Record<RollupDimension, string>> = {};
      by.forEach((d, i) => {
        key[d] = values[i] ?? '';
      });
      g = { key, costMicros: 0, costUsd: 0, calls: 0, usage: emptyUsage() };
      groups.set(id, g);
    }
    g.costMicros += r.costMicros;
    g.calls += 1;
    g.usage = addUsage(g.usage, r.usage);
    total += r.costMicros;
  }
  const list = [...groups.values()].map((g) => ({ ...g, costUsd: microsToUsd(g.costMicros) }));
  list.sort(
    (a, b) =>
      b.costMicros - a.costMicros || JSON.stringify(a.key).localeCompare(JSON.stringify(b.key)),
  );
  return {
    by: [...by],
    groups: list,
    totalMicros: total,
    totalUsd: microsToUsd(total),
    calls: records.length,
  };
}
