/**
 * The budget book: the state of every budget folded from the ledger's
 * `budget.*` and `wait.*` events — definitions set from the CLI, outstanding
 * reservations, settled spend with its dates, estimate shortfalls, amounts
 * admitted past a limit, notices already sent, dispatches waiting. Pure: the
 * service feeds it events in seq order, incrementally.
 */
import {
  type Budget,
  type BudgetSpend,
  DEFAULT_APPROACHING_AT,
  periodBounds,
  usdToMicros,
} from '../cost/index.ts';
import type { LedgerEvent } from '../ledger/index.ts';
import type { BudgetDefinition } from './budget-definitions.ts';
import { BUDGET_EVENTS } from './budget-events.ts';

export interface OpenReservation {
  dispatchId: string;
  budgetIds: string[];
  amountMicros: number;
  holder: string;
  workItemId: string | null;
  at: string;
}

export interface BudgetBook {
  /** The last ledger seq folded in. */
  seq: number;
  definitions: Map<string, BudgetDefinition>;
  reservations: Map<string, OpenReservation>;
  /** Settled amounts per concrete budget, with their times (ms). */
  settled: Map<string, { at: number; micros: number }[]>;
  excessMicros: Map<string, number>;
  pastLimitMicros: Map<string, number>;
  /** `kind:budgetId:periodStart` of notices already recorded. */
  notices: Set<string>;
  /** Budget waits started and not ended, by wait id. */
  waiting: Map<string, { workItemId: string | null; since: string }>;
  /** Dispatches that were settled or released (an idempotent second call is a no-op). */
  closed: Set<string>;
}

/** An empty book. */
export function emptyBook(): BudgetBook {
  return {
    seq: 0,
    definitions: new Map(),
    reservations: new Map(),
    settled: new Map(),
    excessMicros: new Map(),
    pastLimitMicros: new Map(),
    notices: new Set(),
    waiting: new Map(),
    closed: new Set(),
  };
}

const add = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
const strs = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];

/** Folds events (in seq order, after `book.seq`) into the book, in place. */
export function foldBudgetEvents(book: BudgetBook, events: readonly LedgerEvent[]): BudgetBook {
  for (const e of events) {
    if (e.seq <= book.seq) continue;
    book.seq = e.seq;
    const d = e.data;
    switch (e.type) {
      case BUDGET_EVENTS.set:
        book.definitions.set(str(d.id), {
          id: str(d.id),
          scope: d.scope as BudgetDefinition['scope'],
          target: typeof d.target === 'string' ? d.target : undefined,
          period: d.period as BudgetDefinition['period'],
          limitMicros: num(d.limitMicros),
          approachingAt: num(d.approachingAt),
          hardCap: d.hardCap === true,
          owner: str(d.owner),
          approvalAboveMicros: num(d.approvalAboveMicros),
        });
        break;
      // `keel submit --budget USD`: the item's own budget, graded like any
      // work-item budget and escalated to the item's owner.
      case 'work_item.submitted':
        if (typeof d.budgetUsd === 'number' && d.budgetUsd > 0 && e.workItemId) {
          const id = `${e.workItemId}/budget`;
          book.definitions.set(id, {
            id,
            scope: 'work_item',
            target: e.workItemId,
            period: 'total',
            limitMicros: usdToMicros(d.budgetUsd),
            approachingAt: DEFAULT_APPROACHING_AT,
            hardCap: false,
            owner: str(d.owner) || 'unassigned',
            approvalAboveMicros: 0,
          });
        }
        break;
      case BUDGET_EVENTS.reserved: {
        const id = str(d.dispatchId);
        book.reservations.set(id, {
          dispatchId: id,
          budgetIds: strs(d.budgetIds),
          amountMicros: num(d.amountMicros),
          holder: str(d.holder),
          workItemId: e.workItemId,
          at: e.at,
        });
        const past = (d.pastLimitMicros ?? {}) as Record<string, unknown>;
        for (const [b, v] of Object.entries(past)) add(book.pastLimitMicros, b, num(v));
        break;
      }
      case BUDGET_EVENTS.settled: {
        const id = str(d.dispatchId);
        book.reservations.delete(id);
        book.closed.add(id);
        const at = Date.parse(e.at);
        const actual = num(d.actualMicros);
        const excess = Math.max(0, actual - num(d.reservedMicros));
        for (const b of strs(d.budgetIds)) {
          const list = book.settled.get(b) ?? [];
          list.push({ at, micros: actual });
          book.settled.set(b, list);
          if (excess > 0) add(book.excessMicros, b, excess);
        }
        break;
      }
      case BUDGET_EVENTS.released: {
        const id = str(d.dispatchId);
        book.reservations.delete(id);
        book.closed.add(id);
        break;
      }
      case BUDGET_EVENTS.approaching:
      case BUDGET_EVENTS.escalated:
        book.notices.add(`${e.type}:${str(d.budgetId)}:${str(d.periodStart)}`);
        break;
      case 'wait.started':
        if (d.reason === 'budget')
          book.waiting.set(str(d.waitId), { workItemId: e.workItemId, since: e.at });
        break;
      case 'wait.ended':
        if (d.reason === 'budget') book.waiting.delete(str(d.waitId));
        break;
    }
  }
  return book;
}

/** Outstanding reservations against a concrete budget. */
export function reservedMicros(book: BudgetBook, budgetId: string): number {
  let sum = 0;
  for (const r of book.reservations.values())
    if (r.budgetIds.includes(budgetId)) sum += r.amountMicros;
  return sum;
}

/** Settled spend of a concrete budget in its period containing `now`. */
export function settledMicros(
  book: BudgetBook,
  budget: Pick<Budget, 'id' | 'period'>,
  now: Date,
): number {
  const { start, end } = periodBounds(budget.period, now);
  let sum = 0;
  for (const s of book.settled.get(budget.id) ?? [])
    if (s.at >= start.getTime() && s.at < end.getTime()) sum += s.micros;
  return sum;
}

/** What evaluateBudgets needs about a budget now. */
export function spendOf(book: BudgetBook, budget: Budget, now: Date): BudgetSpend {
  return {
    settledMicros: settledMicros(book, budget, now),
    reservedMicros: reservedMicros(book, budget.id),
  };
}
