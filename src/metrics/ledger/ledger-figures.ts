/**
 * The ledger half of `keel report`: events in, every flow and economics figure
 * out — per item, per team / project / ISO week, cost by role and model, and
 * the five weekly numbers — joined with the git analysis for rework. Pure: the
 * report's "now" and the period are inputs.
 */
import { isoWeek } from '../figures.ts';
import { DAYS_7 } from '../line-tracker.ts';
import {
  LEDGER_DEFINITIONS,
  type LedgerFigureDefinition,
  type LedgerFigureId,
} from './definitions.ts';
import {
  type FiveNumber,
  fiveNumbers,
  type TargetValues,
  type WeeklyNumbers,
} from './five-numbers.ts';
import { type GitJoinInput, landedAt, reworkStatus, workItemIndex } from './git-join.ts';
import {
  type CostRow,
  costRows,
  type GroupFigures,
  groupBy,
  groupFigures,
  type ItemPair,
  itemWeek,
  type RoleModelRow,
} from './group-figures.ts';
import { type ItemFigures, itemFigures } from './item-figures.ts';
import { type CallFact, collectItems, type RawEvent } from './read-events.ts';

export interface LedgerInput {
  /** The ledger's events in seq order (any types; the adapter picks what it reads). */
  events: readonly RawEvent[];
  /** Where the ledger lives, for the report. */
  location: string;
  /** The report's now (seconds): the end of open waits and items; later events are ignored. */
  now: number;
  /** Start of the period (seconds, inclusive); null = from the first event. */
  since: number | null;
  /** The git analysis to join with, or null (rework unknown). */
  git: GitJoinInput | null;
  /** Agent name → category (role) from the definitions. */
  agentCategories: ReadonlyMap<string, string>;
  targets: TargetValues | null;
}

export interface LedgerFigures {
  source: { ledger: string; events: number; items: number; now: string };
  definitions: Record<LedgerFigureId, LedgerFigureDefinition>;
  /** Items submitted by now and still open or ended in the period, by submission. */
  items: ItemFigures[];
  /** Every item that ended in the period. */
  total: GroupFigures;
  byTeam: GroupFigures[];
  byProject: GroupFigures[];
  byWeek: GroupFigures[];
  /** Calls recorded in the period. */
  costByRole: CostRow[];
  costByModel: CostRow[];
  costByRoleModel: RoleModelRow[];
  /** The five numbers per ISO week, every week from the first to the last with an ended item. */
  weekly: WeeklyNumbers[];
  fiveNumbers: FiveNumber[];
}

const WEEK = 7 * 86400;

/** Computes every ledger figure. */
export function computeLedgerFigures(input: LedgerInput): LedgerFigures {
  const { now, since } = input;
  const events = input.events.filter((e) => {
    const ms = Date.parse(e.at);
    return !Number.isNaN(ms) && ms / 1000 <= now;
  });
  const facts = collectItems(events);
  const index = input.git ? workItemIndex(input.git.changes) : new Map<string, number[]>();
  const pairs: ItemPair[] = [];
  for (const recorded of facts.values()) {
    const landed = recorded.mergedAt === null ? landedAt(input.git, recorded.id, index) : null;
    // The engine may not record merges: commits of the item on the main line say it merged.
    const item =
      landed !== null && landed <= now
        ? {
            ...recorded,
            mergedAt: Math.max(landed, recorded.submittedAt),
            producedCode: true,
          }
        : recorded;
    const rework = reworkStatus(input.git, item.id, item.mergedCommit, index);
    const figures = itemFigures(
      item,
      now,
      rework,
      landed !== null && item !== recorded ? 'git' : 'ledger',
    );
    const end = item.mergedAt ?? item.completedAt;
    if (since !== null && end !== null && end < since) continue;
    pairs.push({ facts: item, figures });
  }
  pairs.sort(
    (a, b) =>
      a.facts.submittedAt - b.facts.submittedAt ||
      a.facts.id.localeCompare(b.facts.id, 'en', { numeric: true }),
  );
  const roleOf = (c: CallFact) =>
    (c.agent !== null ? input.agentCategories.get(c.agent) : undefined) ?? 'unknown';
  const ended = pairs.filter((p) => p.figures.endedAt !== null);
  const byWeek = groupBy(ended, itemWeek, roleOf);
  const total = groupFigures('all', ended, roleOf);
  const calls = pairs.flatMap((p) => p.facts.calls).filter((c) => since === null || c.at >= since);
  const roleModel = new Map<string, RoleModelRow>();
  for (const c of calls) {
    if (c.reused) continue;
    const role = roleOf(c);
    const k = `${role}\0${c.model}`;
    const row = roleModel.get(k) ?? {
      role,
      model: c.model,
      costUsd: 0,
      calls: 0,
      unpricedCalls: 0,
      tokens: 0,
    };
    row.calls++;
    row.tokens += c.tokens;
    if (c.costUsd === null) row.unpricedCalls++;
    else row.costUsd += c.costUsd;
    roleModel.set(k, row);
  }
  const weekly = weeklyNumbers(byWeek, input.git);
  const period = {
    cycleTimeHours: total.cycleTimeHours.median,
    reworkRate: input.git ? reworkRate(input.git, since, now) : null,
    waitStateRatio: total.waitStateRatio.value,
    costPerShippedFeatureUsd: total.costPerShippedFeature.value,
    aiAcceptanceRate: total.aiAcceptanceRate.value,
  };
  return {
    source: {
      ledger: input.location,
      events: input.events.length,
      items: pairs.length,
      now: new Date(now * 1000).toISOString(),
    },
    definitions: LEDGER_DEFINITIONS,
    items: pairs.map((p) => p.figures),
    total,
    byTeam: groupBy(ended, (p) => p.facts.team, roleOf),
    byProject: groupBy(ended, (p) => `${p.facts.org}/${p.facts.project}`, roleOf),
    byWeek,
    costByRole: costRows(calls, roleOf),
    costByModel: costRows(calls, (c) => c.model),
    costByRoleModel: [...roleModel.values()].sort(
      (a, b) =>
        b.costUsd - a.costUsd || a.role.localeCompare(b.role) || a.model.localeCompare(b.model),
    ),
    weekly,
    fiveNumbers: fiveNumbers(period, weekly, input.targets),
  };
}

/** 7-day rework of the lines landed between `from` and `to` (seconds, inclusive; null = open). */
export function reworkRate(
  git: GitJoinInput,
  from: number | null,
  to: number | null,
): number | null {
  let churn = 0;
  let added = 0;
  git.changes.forEach((c, i) => {
    if (from !== null && c.landedAt < from) return;
    if (to !== null && c.landedAt > to) return;
    if (c.landedAt > git.headTime - DAYS_7) return;
    for (const o of [i * 2, i * 2 + 1]) {
      churn += git.counters.churn7d[o] ?? 0;
      added += git.counters.added[o] ?? 0;
    }
  });
  return added === 0 ? null : churn / added;
}

/** Monday 00:00 UTC of the ISO week holding `seconds`. */
function weekStart(seconds: number): number {
  const d = new Date(seconds * 1000);
  const day = (d.getUTCDay() + 6) % 7;
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - day) / 1000;
}

function weeklyNumbers(byWeek: readonly GroupFigures[], git: GitJoinInput | null): WeeklyNumbers[] {
  if (byWeek.length === 0) return [];
  const groups = new Map(byWeek.map((g) => [g.key, g]));
  const starts = byWeek.map((g) => weekStartOf(g.key));
  const out: WeeklyNumbers[] = [];
  for (let t = Math.min(...starts); t <= Math.max(...starts); t += WEEK) {
    const week = isoWeek(t + 3 * 86400);
    const g = groups.get(week);
    out.push({
      week,
      cycleTimeHours: g?.cycleTimeHours.median ?? null,
      reworkRate: git ? reworkRate(git, t, t + WEEK - 1) : null,
      waitStateRatio: g?.waitStateRatio.value ?? null,
      costPerShippedFeatureUsd: g?.costPerShippedFeature.value ?? null,
      aiAcceptanceRate: g?.aiAcceptanceRate.value ?? null,
    });
  }
  return out;
}

/** Monday 00:00 UTC of an ISO week label `YYYY-Www`. */
export function weekStartOf(label: string): number {
  const [y, w] = label.split('-W').map(Number) as [number, number];
  // 4 January is always in week 1.
  const jan4 = Date.UTC(y, 0, 4) / 1000;
  return weekStart(jan4) + (w - 1) * WEEK;
}
