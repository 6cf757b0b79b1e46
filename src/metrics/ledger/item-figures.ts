/**
 * Per-work-item flow and economics, as pure functions of one item's facts and
 * the report's "now": cycle time, time active vs waiting by reason, wait-state
 * ratio, first-pass gate acceptance, attempts per pass, tokens and cost.
 */
import type { Ratio } from '../figures.ts';
import { type ItemFacts, WAIT_REASONS, type WaitReason } from './read-events.ts';

/** What the git analysis says about an item's landed lines (see tokens-per-good-change). */
export type ReworkStatus = 'reworked' | 'clean' | 'pending' | 'unknown';

export interface ItemFigures {
  id: string;
  title: string;
  type: string;
  team: string;
  project: string;
  org: string;
  status: 'merged' | 'done' | 'failed' | 'aborted' | 'open';
  submittedAt: string;
  /** Merge time, else completion time; null while open. */
  endedAt: string | null;
  /** Where the merge is known from: work_item.merged, or the item's commits on the main line; null when not merged. */
  mergedFrom: 'ledger' | 'git' | null;
  cycleTimeHours: number | null;
  elapsedHours: number;
  activeHours: number;
  waitingHours: number;
  waitingByReason: Record<WaitReason, number>;
  openWaits: number;
  waitStateRatio: number | null;
  firstPassAcceptance: Ratio;
  attempts: number;
  passes: number;
  attemptsPerPass: number | null;
  tokens: number;
  costUsd: number;
  pricedCalls: number;
  unpricedCalls: number;
  producedCode: boolean;
  rework: ReworkStatus;
}

const HOUR = 3600;

/** Total length of the union of [start, end) intervals. */
export function unionLength(intervals: readonly (readonly [number, number])[]): number {
  const sorted = intervals.filter(([a, b]) => b > a).sort((x, y) => x[0] - y[0]);
  let total = 0;
  let curStart = Number.NEGATIVE_INFINITY;
  let curEnd = Number.NEGATIVE_INFINITY;
  for (const [a, b] of sorted) {
    if (a > curEnd) {
      if (curEnd > curStart) total += curEnd - curStart;
      curStart = a;
      curEnd = b;
    } else if (b > curEnd) curEnd = b;
  }
  if (curEnd > curStart) total += curEnd - curStart;
  return total;
}

/** The end of an item's elapsed time: merge, else completion, else `now` (seconds). */
export function itemEnd(item: ItemFacts, now: number): number {
  return item.mergedAt ?? item.completedAt ?? now;
}

/** Computes one item's figures; `now` (seconds) closes open waits and open items. */
export function itemFigures(
  item: ItemFacts,
  now: number,
  rework: ReworkStatus,
  mergedFrom: 'ledger' | 'git' = 'ledger',
): ItemFigures {
  const end = Math.max(item.submittedAt, itemEnd(item, now));
  const clip = (w: { start: number; end: number | null }): [number, number] => [
    Math.max(w.start, item.submittedAt),
    Math.min(w.end ?? end, end),
  ];
  const waitingByReason = Object.fromEntries(
    WAIT_REASONS.map((r) => [
      r,
      unionLength(item.waits.filter((w) => w.reason === r).map(clip)) / HOUR,
    ]),
  ) as Record<WaitReason, number>;
  const waitingHours = unionLength(item.waits.map(clip)) / HOUR;
  const elapsedHours = (end - item.submittedAt) / HOUR;
  const cycleTimeHours = item.mergedAt === null ? null : elapsedHours;

  const passes = new Set(item.attempts.map((a) => a.pass));
  const gatedPasses = new Map<string, { first: number; ok: boolean }>();
  for (const g of item.gates) {
    const cur = gatedPasses.get(g.pass);
    if (!cur || g.attempt < cur.first) gatedPasses.set(g.pass, { first: g.attempt, ok: g.passed });
    else if (g.attempt === cur.first) cur.ok = cur.ok && g.passed;
  }
  const acceptedFirst = [...gatedPasses.values()].filter((p) => p.ok).length;

  let tokens = 0;
  let costUsd = 0;
  let priced = 0;
  let unpriced = 0;
  for (const c of item.calls) {
    if (c.reused) continue;
    tokens += c.tokens;
    if (c.costUsd === null) unpriced++;
    else {
      costUsd += c.costUsd;
      priced++;
    }
  }
  return {
    id: item.id,
    title: item.title,
    type: item.type,
    team: item.team,
    project: item.project,
    org: item.org,
    status: item.mergedAt !== null ? 'merged' : (item.outcome ?? 'open'),
    submittedAt: iso(item.submittedAt),
    endedAt: item.mergedAt !== null || item.completedAt !== null ? iso(end) : null,
    mergedFrom: item.mergedAt === null ? null : mergedFrom,
    cycleTimeHours,
    elapsedHours,
    activeHours: elapsedHours - waitingHours,
    waitingHours,
    waitingByReason,
    openWaits: item.waits.filter((w) => w.end === null).length,
    waitStateRatio:
      cycleTimeHours === null || cycleTimeHours === 0 ? null : waitingHours / cycleTimeHours,
    firstPassAcceptance: ratio(acceptedFirst, gatedPasses.size),
    attempts: item.attempts.length,
    passes: passes.size,
    attemptsPerPass: passes.size === 0 ? null : item.attempts.length / passes.size,
    tokens,
    costUsd,
    pricedCalls: priced,
    unpricedCalls: unpriced,
    producedCode: item.producedCode,
    rework,
  };
}

/** A share with its parts; null value when nothing was counted. */
export function ratio(numerator: number, denominator: number): Ratio {
  return { value: denominator === 0 ? null : numerator / denominator, numerator, denominator };
}

function iso(seconds: number): string {
  return new Date(Math.round(seconds * 1000)).toISOString();
}
