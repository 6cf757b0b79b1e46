/**
 * The ledger-backed budget service: every check-and-reserve runs inside one
 * ledger transaction, so concurrent dispatches — in this process or any other —
 * see each other's reservations and can never jointly pass a hard cap. The
 * decision itself is the pure `evaluateBudgets`; this file is the I/O edge.
 */

import type { Priority } from '../core/index.ts';
import {
  type BudgetAction,
  type BudgetDecision,
  evaluateBudgets,
  periodBounds,
  type ScopeIds,
} from '../cost/index.ts';
import type { LedgerStore, LedgerTransaction, NewEvent } from '../ledger/index.ts';
import {
  type BudgetBook,
  emptyBook,
  foldBudgetEvents,
  settledMicros,
  spendOf,
} from './budget-book.ts';
import {
  type BudgetDefinition,
  definitionOf,
  enclosingBudgets,
  mergeDefinitions,
} from './budget-definitions.ts';
import { BUDGET_EVENTS, type BudgetNoticeData } from './budget-events.ts';

const WATCHED = ['budget.*', 'wait.started', 'wait.ended', 'work_item.submitted'];

export interface DispatchRequest {
  /** Unique per dispatch (the engine uses the attempt id). */
  dispatchId: string;
  workItemId: string | null;
  scopes: ScopeIds;
  priority: Priority;
  estimateMicros: number;
  /** A person approved this dispatch past a soft limit. */
  approved?: boolean;
  /** Higher-priority work is waiting (an approaching budget then holds P2/P3 back). */
  higherWaiting?: boolean;
  /** Which orchestrator dispatches (for crash recovery). */
  holder: string;
}

export type AdmitResult =
  | {
      status: 'reserved';
      decision: BudgetDecision;
      budgetIds: string[];
      notices: BudgetNoticeData[];
    }
  | {
      status: 'waiting';
      action: BudgetAction;
      decision: BudgetDecision;
      notices: BudgetNoticeData[];
    };

export interface SettleResult {
  settled: boolean;
  overrunBy: string[];
  excessMicros: number;
}

export interface BudgetServiceOptions {
  /** Budgets from keel.yaml; the ledger's `budget.set` events override them by id. */
  configBudgets?: readonly BudgetDefinition[];
  actor?: string;
  now?: () => Date;
}

/** The budget service over one ledger; keep one per process (it caches the folded book). */
export class BudgetService {
  private readonly book: BudgetBook = emptyBook();
  private readonly configBudgets: readonly BudgetDefinition[];
  private readonly actor: string;
  private readonly now: () => Date;
  private readonly store: LedgerStore;

  constructor(store: LedgerStore, options: BudgetServiceOptions = {}) {
    this.store = store;
    this.configBudgets = options.configBudgets ?? [];
    this.actor = options.actor ?? 'keel';
    this.now = options.now ?? (() => new Date());
  }

  /** Folds what other writers appended since the last look; only call inside a transaction. */
  private async catchUp(tx: LedgerTransaction): Promise<BudgetBook> {
    const events = await tx.read({ types: WATCHED, afterSeq: this.book.seq });
    foldBudgetEvents(this.book, events);
    const head = await tx.head();
    // Nothing watched lies between: skip straight to the head.
    if (head.seq > this.book.seq) this.book.seq = head.seq;
    return this.book;
  }

  /** The current book, caught up with the ledger. */
  async snapshot(): Promise<{ book: BudgetBook; definitions: BudgetDefinition[] }> {
    const book = await this.store.transaction((tx) => this.catchUp(tx));
    return { book, definitions: mergeDefinitions(this.configBudgets, book.definitions) };
  }

  /** Records a budget set from the CLI (`budget.set`). */
  async set(def: BudgetDefinition): Promise<void> {
    await this.store.append([
      {
        type: BUDGET_EVENTS.set,
        actor: this.actor,
        data: { ...def, target: def.target ?? null },
      },
    ]);
  }

  /**
   * Checks every enclosing budget and, when the graded action lets the dispatch
   * go, reserves its estimate against all of them — in one transaction. When it
   * may not go, records the start of a budget wait (once) and says why.
   */
  async admit(req: DispatchRequest): Promise<AdmitResult> {
    return this.store.transaction(async (tx) => {
      const book = await this.catchUp(tx);
      const now = this.now();
      const defs = mergeDefinitions(this.configBudgets, book.definitions);
      const budgets = enclosingBudgets(defs, req.scopes);
      const spend = new Map(budgets.map((b) => [b.id, spendOf(book, b, now)]));
      const decision = evaluateBudgets(
        budgets,
        (id) => spend.get(id) ?? { settledMicros: 0, reservedMicros: 0 },
        { estimateMicros: req.estimateMicros, priority: req.priority, scopes: req.scopes },
      );
      const events: NewEvent[] = [];
      const notices = this.notices(book, decision, budgets, now, req.workItemId, events);
      // Nothing to hold against: no event, so runs without budgets record nothing extra.
      if (budgets.length === 0) return { status: 'reserved', decision, budgetIds: [], notices: [] };
      const existing = book.reservations.get(req.dispatchId);
      if (existing)
        return { status: 'reserved', decision, budgetIds: existing.budgetIds, notices: [] };
      const a = decision.action;
      const goes =
        a === 'dispatch' ||
        (a === 'dispatch-if-nothing-higher-waits' && req.higherWaiting !== true) ||
        (a === 'wait-approval' && req.approved === true);
      const waitId = `budget:${req.dispatchId}`;
      if (!goes) {
        if (!book.waiting.has(waitId))
          events.push({
            type: 'wait.started',
            actor: this.actor,
            workItemId: req.workItemId,
            idempotencyKey: `wait.started:${waitId}`,
            data: {
              reason: 'budget',
              waitId,
              action: a,
              budgets: decision.decidedBy,
              detail: decision.reason,
            },
          });
        if (events.length > 0) await tx.append(events);
        return { status: 'waiting', action: a, decision, notices };
      }
      const pastLimitMicros: Record<string, number> = {};
      for (const b of budgets) {
        const s = spend.get(b.id);
        const committed = (s?.settledMicros ?? 0) + (s?.reservedMicros ?? 0);
        const past = Math.min(req.estimateMicros, committed + req.estimateMicros - b.limitMicros);
        if (past > 0) pastLimitMicros[b.id] = past;
      }
      const budgetIds = budgets.map((b) => b.id);
      events.push({
        type: BUDGET_EVENTS.reserved,
        actor: this.actor,
        workItemId: req.workItemId,
        idempotencyKey: `budget.reserved:${req.dispatchId}`,
        data: {
          dispatchId: req.dispatchId,
          budgetIds,
          amountMicros: req.estimateMicros,
          pastLimitMicros,
          action: a,
          priority: req.priority,
          holder: req.holder,
        },
      });
      if (book.waiting.has(waitId))
        events.push({
          type: 'wait.ended',
          actor: this.actor,
          workItemId: req.workItemId,
          idempotencyKey: `wait.ended:${waitId}`,
          data: { reason: 'budget', waitId },
        });
      await tx.append(events);
      return { status: 'reserved', decision, budgetIds, notices };
    });
  }

  /** Notices owed to owners (approaching, over): appended once per budget and period. */
  private notices(
    book: BudgetBook,
    decision: BudgetDecision,
    budgets: ReturnType<typeof enclosingBudgets>,
    now: Date,
    workItemId: string | null,
    events: NewEvent[],
  ): BudgetNoticeData[] {
    const out: BudgetNoticeData[] = [];
    for (const f of decision.findings) {
      const type =
        f.state === 'approaching'
          ? BUDGET_EVENTS.approaching
          : f.state === 'over'
            ? BUDGET_EVENTS.escalated
            : undefined;
      const budget = budgets.find((b) => b.id === f.budgetId);
      if (!type || !budget) continue;
      const periodStart =
        budget.period === 'total' ? 'total' : periodBounds(budget.period, now).start.toISOString();
      const key = `${type}:${f.budgetId}:${periodStart}`;
      if (book.notices.has(key)) continue;
      const data: BudgetNoticeData = {
        budgetId: f.budgetId,
        owner: f.owner,
        state: f.state,
        committedMicros: f.committedMicros,
        limitMicros: f.limitMicros,
        periodStart,
        reason: f.reason,
      };
      events.push({ type, actor: this.actor, workItemId, idempotencyKey: key, data: { ...data } });
      out.push(data);
    }
    return out;
  }

  /** Replaces a reservation with the actual cost (`budget.settled`); a second call is a no-op. */
  async settle(dispatchId: string, actualMicros: number): Promise<SettleResult> {
    if (!Number.isSafeInteger(actualMicros) || actualMicros < 0)
      throw new RangeError(`actual cost ${actualMicros} of ${dispatchId} is not whole µ$ ≥ 0`);
    return this.store.transaction(async (tx) => {
      const book = await this.catchUp(tx);
      const r = book.reservations.get(dispatchId);
      if (!r) return { settled: false, overrunBy: [], excessMicros: 0 };
      const now = this.now();
      const defs = mergeDefinitions(this.configBudgets, book.definitions);
      const overrunBy: string[] = [];
      for (const id of r.budgetIds) {
        const def = definitionOf(defs, id);
        if (!def?.hardCap) continue;
        const settled = settledMicros(book, { id, period: def.period }, now);
        if (settled + actualMicros > def.limitMicros) overrunBy.push(id);
      }
      await tx.append([
        {
          type: BUDGET_EVENTS.settled,
          actor: this.actor,
          workItemId: r.workItemId,
          idempotencyKey: `budget.settled:${dispatchId}`,
          data: {
            dispatchId,
            budgetIds: r.budgetIds,
            reservedMicros: r.amountMicros,
            actualMicros,
            overrunBy,
          },
        },
      ]);
      return { settled: true, overrunBy, excessMicros: Math.max(0, actualMicros - r.amountMicros) };
    });
  }

  /** Drops a reservation without spend (`budget.released`). */
  async release(dispatchId: string, reason: string): Promise<boolean> {
    return this.store.transaction(async (tx) => {
      const book = await this.catchUp(tx);
      const r = book.reservations.get(dispatchId);
      if (!r) return false;
      await tx.append([releaseEvent(this.actor, r, reason)]);
      return true;
    });
  }

  /**
   * Crash recovery: releases every reservation whose dispatch is not live — held
   * by another orchestrator that is gone, or by this one but no longer running.
   */
  async recover(isLive: (r: { dispatchId: string; holder: string }) => boolean): Promise<string[]> {
    return this.store.transaction(async (tx) => {
      const book = await this.catchUp(tx);
      const dead = [...book.reservations.values()].filter((r) => !isLive(r));
      if (dead.length > 0)
        await tx.append(dead.map((r) => releaseEvent(this.actor, r, 'recovered after a crash')));
      return dead.map((r) => r.dispatchId);
    });
  }
}

function releaseEvent(
  actor: string,
  r: { dispatchId: string; budgetIds: string[]; amountMicros: number; workItemId: string | null },
  reason: string,
): NewEvent {
  return {
    type: BUDGET_EVENTS.released,
    actor,
    workItemId: r.workItemId,
    idempotencyKey: `budget.released:${r.dispatchId}`,
    data: {
      dispatchId: r.dispatchId,
      budgetIds: r.budgetIds,
      amountMicros: r.amountMicros,
      reason,
    },
  };
}
