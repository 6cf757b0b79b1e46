/**
 * The figures of `keel report`, as pure functions of plain data: the landed
 * changes, the per-origin line counters and the tag snapshot in, figures out. The
 * ledger's figures can join later through the same shapes.
 */
import { DEFINITIONS, type FigureDefinition, type FigureId } from './definitions.ts';
import type { ChangeRecord, TagSnapshot } from './history-state.ts';
import { DAYS_7, HOURS_72, type OriginCounters } from './line-tracker.ts';

/** A share with what it was computed from; `value` is null when nothing was counted. */
export interface Ratio {
  value: number | null;
  numerator: number;
  denominator: number;
}

export interface ShareFigure extends FigureDefinition {
  id: FigureId;
  ai: Ratio;
  other: Ratio;
  all: Ratio;
}

export interface Distribution {
  count: number;
  median: number | null;
  mean: number | null;
  p90: number | null;
}

export interface DistributionFigure extends FigureDefinition {
  id: FigureId;
  ai: Distribution;
  other: Distribution;
}

export interface WeekBatch {
  /** ISO week, e.g. `2026-W07`. */
  week: string;
  ai: Distribution;
  other: Distribution;
}

export interface BatchSizeFigure extends DistributionFigure {
  weeks: WeekBatch[];
}

export interface UsageRow {
  name: string;
  changes: number;
  lines: number;
}

/** Everything the figures are computed from. */
export interface FigureInput {
  changes: readonly ChangeRecord[];
  counters: OriginCounters;
  tag: TagSnapshot | null;
  /** Landing time of the analysed head (seconds): "now" for the churn windows. */
  headTime: number;
  /** Inclusive bounds on landing time (seconds); null = unbounded. */
  since: number | null;
  until: number | null;
}

export interface Figures {
  changes: { total: number; ai: number; other: number };
  aiShareOfChanges: ShareFigure;
  aiShareOfLines: ShareFigure;
  survivalAtHead: ShareFigure;
  survivalAtTag: (ShareFigure & { tag: string; sha: string }) | null;
  churn72h: ShareFigure;
  churn7d: ShareFigure;
  changeFailure: ShareFigure & { reverted: number; fixed: number };
  batchSize: BatchSizeFigure;
  leadTime: DistributionFigure;
  byTool: UsageRow[];
  byModel: UsageRow[];
}

/** Computes every figure for the changes landed in the period. */
export function computeFigures(input: FigureInput): Figures {
  const inPeriod: number[] = [];
  input.changes.forEach((c, i) => {
    if (input.since !== null && c.landedAt < input.since) return;
    if (input.until !== null && c.landedAt > input.until) return;
    inPeriod.push(i);
  });
  const changes = inPeriod.map((i) => input.changes[i] as ChangeRecord);
  const ai = changes.filter((c) => c.ai).length;
  const lines = (list: number[], pick: (o: number) => number) =>
    sumClasses(list, (i, cls) => pick(i * 2 + cls));
  const { added, alive, churn72h, churn7d } = input.counters;
  const get = (arr: number[]) => (o: number) => arr[o] ?? 0;

  const survivalAtTag = input.tag
    ? (() => {
        const tag = input.tag as TagSnapshot;
        const before = inPeriod.filter((i) => i <= tag.change);
        const r = lines(before, get(tag.alive));
        const d = lines(before, get(added));
        return { ...share('survival-tag', r, d), tag: tag.name, sha: tag.sha };
      })()
    : null;
  const mature = (window: number) =>
    inPeriod.filter((i) => (input.changes[i] as ChangeRecord).landedAt <= input.headTime - window);
  const m72 = mature(HOURS_72);
  const m7 = mature(DAYS_7);
  const failed = failures(input.changes);
  const failedIn = inPeriod.filter((i) => failed.has(i));
  const reverted = failedIn.filter((i) => failed.get(i) === 'revert').length;
  const landedLines = lines(inPeriod, get(added));

  return {
    changes: { total: changes.length, ai, other: changes.length - ai },
    aiShareOfChanges: share(
      'ai-share-changes',
      { ai, other: 0 },
      { ai: changes.length, other: 0 },
      true,
    ),
    aiShareOfLines: share(
      'ai-share-lines',
      { ai: landedLines.ai, other: 0 },
      { ai: landedLines.ai + landedLines.other, other: 0 },
      true,
    ),
    survivalAtHead: share('survival-head', lines(inPeriod, get(alive)), landedLines),
    survivalAtTag,
    churn72h: share('churn-72h', lines(m72, get(churn72h)), lines(m72, get(added))),
    churn7d: share('churn-7d', lines(m7, get(churn7d)), lines(m7, get(added))),
    changeFailure: {
      ...share(
        'change-failure',
        countByClass(failedIn, input.changes),
        countByClass(inPeriod, input.changes),
      ),
      reverted,
      fixed: failedIn.length - reverted,
    },
    batchSize: batchSize(changes),
    leadTime: {
      id: 'lead-time',
      ...DEFINITIONS['lead-time'],
      ...byClass(
        changes.filter((c) => c.branchStart !== null),
        (c) => (c.landedAt - (c.branchStart as number)) / 3600,
      ),
    },
    byTool: usage(inPeriod, input.changes, input.counters, (c) => c.tools),
    byModel: usage(inPeriod, input.changes, input.counters, (c) => c.models),
  };
}

/** Changes that a later change reverted or fixed, with the first kind seen (revert wins). */
export function failures(changes: readonly ChangeRecord[]): Map<number, 'revert' | 'fix'> {
  const out = new Map<number, 'revert' | 'fix'>();
  for (const c of changes) {
    for (const t of c.fixes) if (!out.has(t)) out.set(t, 'fix');
    for (const t of c.reverts) out.set(t, 'revert');
  }
  return out;
}

type Pair = { ai: number; other: number };

function sumClasses(list: number[], pick: (change: number, cls: 0 | 1) => number): Pair {
  const out = { ai: 0, other: 0 };
  for (const i of list) {
    out.ai += pick(i, 1);
    out.other += pick(i, 0);
  }
  return out;
}

function countByClass(list: number[], changes: readonly ChangeRecord[]): Pair {
  const out = { ai: 0, other: 0 };
  for (const i of list) {
    if (changes[i]?.ai) out.ai++;
    else out.other++;
  }
  return out;
}

function ratio(numerator: number, denominator: number): Ratio {
  return { value: denominator === 0 ? null : numerator / denominator, numerator, denominator };
}

// `single` figures are one share over all changes: only `all` is meaningful.
function share(id: FigureId, num: Pair, den: Pair, single = false): ShareFigure {
  const all = ratio(num.ai + num.other, den.ai + den.other);
  return {
    id,
    ...DEFINITIONS[id],
    ai: single ? all : ratio(num.ai, den.ai),
    other: single ? all : ratio(num.other, den.other),
    all,
  };
}

/** Median, mean and 90th percentile (nearest rank) of a list of numbers. */
export function distribution(values: readonly number[]): Distribution {
  if (values.length === 0) return { count: 0, median: null, mean: null, p90: null };
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  const mid = n >> 1;
  const median =
    n % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  const mean = sorted.reduce((s, v) => s + v, 0) / n;
  const p90 = sorted[Math.max(0, Math.ceil(0.9 * n) - 1)] as number;
  return { count: n, median, mean, p90 };
}

function byClass(
  changes: readonly ChangeRecord[],
  value: (c: ChangeRecord) => number,
): { ai: Distribution; other: Distribution } {
  return {
    ai: distribution(changes.filter((c) => c.ai).map(value)),
    other: distribution(changes.filter((c) => !c.ai).map(value)),
  };
}

function batchSize(changes: readonly ChangeRecord[]): BatchSizeFigure {
  const size = (c: ChangeRecord) => c.diffAdded + c.diffDeleted;
  const weeks = new Map<string, ChangeRecord[]>();
  for (const c of changes) {
    const week = isoWeek(c.landedAt);
    const list = weeks.get(week);
    if (list) list.push(c);
    else weeks.set(week, [c]);
  }
  return {
    id: 'batch-size',
    ...DEFINITIONS['batch-size'],
    ...byClass(changes, size),
    weeks: [...weeks.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([week, list]) => ({ week, ...byClass(list, size) })),
  };
}

function usage(
  list: readonly number[],
  changes: readonly ChangeRecord[],
  counters: OriginCounters,
  names: (c: ChangeRecord) => string[],
): UsageRow[] {
  const rows = new Map<string, UsageRow>();
  for (const index of list) {
    const c = changes[index] as ChangeRecord;
    if (!c.ai) continue;
    const aiLines = counters.added[index * 2 + 1] ?? 0;
    for (const name of names(c)) {
      const row = rows.get(name) ?? { name, changes: 0, lines: 0 };
      row.changes++;
      row.lines += aiLines;
      rows.set(name, row);
    }
  }
  return [...rows.values()].sort((a, b) => b.changes - a.changes || a.name.localeCompare(b.name));
}

/** ISO 8601 week (UTC) of a time in seconds, e.g. `2026-W01`. */
export function isoWeek(seconds: number): string {
  const date = new Date(seconds * 1000);
  const day = (date.getUTCDay() + 6) % 7;
  // The Thursday of this week decides the ISO year.
  const thursday = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() - day + 3);
  const year = new Date(thursday).getUTCFullYear();
  const week = Math.floor((thursday - Date.UTC(year, 0, 1)) / (7 * 86400000)) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}
