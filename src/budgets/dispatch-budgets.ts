/**
 * The engine's budget hook: before a dispatch (an attempt, or a gate's review),
 * estimate its cost — from what the same agent and model cost before, else the
 * worst case of a typical call at the catalog's price — and admit it through
 * the budget service; after it, settle the actual cost of its recorded calls.
 * A dispatch at the limit above `approval_above_usd` waits for an ordinary
 * approval (`keel approve`); a forecast approval holds the whole item.
 */
import type { Priority } from '../core/index.ts';
import {
  formatUsd,
  type PriceCatalog,
  type ScopeIds,
  usdToMicros,
  worstCaseCost,
} from '../cost/index.ts';
import type { KeelConfig } from '../definitions/index.ts';
import type { LedgerStore, NewEvent } from '../ledger/index.ts';
import { spendOf } from './budget-book.ts';
import { budgetsFromConfig, enclosingBudgets } from './budget-definitions.ts';
import { BUDGET_EVENTS } from './budget-events.ts';
import { BudgetService } from './budget-service.ts';
import { forecastItem, readFinishedItems, sizeOf } from './forecast-history.ts';
import { forecastApprovalId } from './forecast-policy.ts';
import { postNotices } from './notify.ts';

/** A typical call when there is no history: its worst case is the estimate. */
export const TYPICAL_PROMPT_TOKENS = 20_000;
export const TYPICAL_OUTPUT_TOKENS = 4_000;
/** How many past dispatches of the same agent and model the estimate looks at (their maximum). */
const HISTORY_WINDOW = 10;

export interface Dispatch {
  itemId: string;
  pass: string;
  attempt: number;
  kind: 'attempt' | 'gate';
  /** The gate a review dispatch evaluates. */
  gate?: string;
  item: { org: string; team: string; project: string; owner: string; priority: Priority };
  agent: string;
  model: { provider: string; model: string } | undefined;
  /** Higher-priority work is waiting to be dispatched. */
  higherWaiting: boolean;
}

export type DispatchVerdict = { go: true } | { go: false; reason: string };

type DispatchKey = Pick<Dispatch, 'itemId' | 'pass' | 'attempt' | 'kind' | 'gate'>;

/** `WI-1/spec/2` for an attempt, `WI-1/spec/2/gate:review` for a gate's review. */
export const dispatchIdOf = (d: DispatchKey): string =>
  `${d.itemId}/${d.pass}/${d.attempt}${d.kind === 'gate' ? `/gate:${d.gate ?? ''}` : ''}`;

interface CallsSoFar {
  seq: number;
  /** Cost and unpriced calls per dispatch id. */
  totals: Map<string, { micros: number; unpriced: number; key: string }>;
}

function scopesOf(d: Dispatch): ScopeIds {
  return {
    org: d.item.org,
    team: d.item.team,
    project: d.item.project,
    work_item: d.itemId,
    engineer: d.item.owner,
  };
}

/** What past dispatches an estimate compares with: the same agent, kind and (for attempts) model. */
function historyKey(agent: string, kind: 'attempt' | 'gate', model: string): string {
  // A review's model is chosen inside the gate, so its history is per reviewer only.
  return kind === 'gate' ? `${agent}|review` : `${agent}|pass|${model}`;
}

export class DispatchBudgets {
  private readonly service: BudgetService;
  private readonly calls: CallsSoFar = { seq: 0, totals: new Map() };
  private readonly ledger: LedgerStore;
  private readonly config: KeelConfig;
  private readonly catalog: PriceCatalog;
  private readonly env: NodeJS.ProcessEnv;
  /** This orchestrator's id on its reservations. */
  readonly holder: string;

  constructor(o: {
    ledger: LedgerStore;
    config: KeelConfig;
    catalog: PriceCatalog;
    env: NodeJS.ProcessEnv;
    holder: string;
  }) {
    this.ledger = o.ledger;
    this.config = o.config;
    this.catalog = o.catalog;
    this.env = o.env;
    this.holder = o.holder;
    this.service = new BudgetService(o.ledger, { configBudgets: budgetsFromConfig(o.config) });
  }

  /** Admits a dispatch, or says what it waits for (recorded in the ledger). */
  async admit(d: Dispatch): Promise<DispatchVerdict> {
    const forecast = await this.approval(d.itemId, forecastApprovalId(d.itemId));
    if (forecast === 'pending' || forecast === 'rejected')
      return { go: false, reason: `the item's forecast waits for approval (${forecast})` };
    if (this.config.cost?.deferOverBudget) {
      const deferred = await this.deferral(d);
      if (deferred) return { go: false, reason: deferred };
    }
    const dispatchId = dispatchIdOf(d);
    const approvalId = `${dispatchId}/budget`;
    const approved = (await this.approval(d.itemId, approvalId)) === 'approved';
    const result = await this.service.admit({
      dispatchId,
      workItemId: d.itemId,
      scopes: scopesOf(d),
      priority: d.item.priority,
      estimateMicros: await this.estimate(d),
      approved,
      higherWaiting: d.higherWaiting,
      holder: this.holder,
    });
    if (result.notices.length > 0)
      await postNotices(result.notices, this.config.cost?.webhookUrlEnv, this.env);
    if (result.status === 'reserved') return { go: true };
    if (result.action === 'wait-approval')
      await this.requestApproval(d, approvalId, result.decision);
    return { go: false, reason: result.decision.reason };
  }

  /** Settles a dispatch at the cost of its recorded calls (at least its reservation if one was unpriced). */
  async settle(d: DispatchKey): Promise<void> {
    const id = dispatchIdOf(d);
    await this.catchUpCalls();
    const total = this.calls.totals.get(id);
    const { book } = await this.service.snapshot();
    const reserved = book.reservations.get(id);
    if (!reserved) return;
    const actual = total?.micros ?? 0;
    await this.service.settle(
      id,
      total && total.unpriced > 0 ? Math.max(actual, reserved.amountMicros) : actual,
    );
  }

  /**
   * After a crash: the reservations of other orchestrators are dead (the
   * engine holds the repository lock). Those whose calls ran are settled at
   * their recorded cost; the rest are released.
   */
  async recover(): Promise<{ settled: string[]; released: string[] }> {
    await this.catchUpCalls();
    const { book } = await this.service.snapshot();
    const settled: string[] = [];
    for (const r of book.reservations.values()) {
      if (r.holder === this.holder) continue;
      const total = this.calls.totals.get(r.dispatchId);
      if (total && (total.micros > 0 || total.unpriced > 0)) {
        await this.service.settle(
          r.dispatchId,
          total.unpriced > 0 ? Math.max(total.micros, r.amountMicros) : total.micros,
        );
        settled.push(r.dispatchId);
      }
    }
    const released = await this.service.recover((r) => r.holder === this.holder);
    return { settled, released };
  }

  /**
   * keel.yaml `cost.defer_over_budget`: an item not started yet whose p50
   * forecast exceeds what an enclosing budget has left is deferred (recorded
   * once, as `budget.deferred` and a budget wait) until there is room.
   */
  private async deferral(d: Dispatch): Promise<string | undefined> {
    const own = await this.ledger.read({
      workItemId: d.itemId,
      types: ['work_item.submitted', 'work_item.planned', 'attempt.started', 'wait.started'],
    });
    const waitId = `defer:${d.itemId}`;
    const waiting = own.some((e) => e.type === 'wait.started' && e.data.waitId === waitId);
    if (own.some((e) => e.type === 'attempt.started')) return undefined;
    const submitted = own.find((e) => e.type === 'work_item.submitted')?.data;
    const planned = own.find((e) => e.type === 'work_item.planned')?.data;
    const labels = Array.isArray(submitted?.labels) ? submitted.labels.map(String) : [];
    const size = sizeOf(labels);
    const history = (await readFinishedItems(this.ledger)).filter((h) => h.id !== d.itemId);
    const f = forecastItem(history, {
      type: String(submitted?.type ?? ''),
      workflow: String((planned?.workflow as { name?: unknown } | undefined)?.name ?? ''),
      labels,
      ...(size ? { size } : {}),
    });
    const { book, definitions } = await this.service.snapshot();
    const now = new Date();
    const scopes = scopesOf(d);
    let tightest: { id: string; left: number } | undefined;
    for (const b of enclosingBudgets(definitions, scopes)) {
      const s = spendOf(book, b, now);
      const left = b.limitMicros - s.settledMicros - s.reservedMicros;
      if (!tightest || left < tightest.left) tightest = { id: b.id, left };
    }
    const over = f.status === 'forecast' && tightest && f.costMicros.p50 > tightest.left;
    if (!over || !tightest || f.status !== 'forecast') {
      if (waiting)
        await this.ledger.append([
          {
            type: 'wait.ended',
            actor: 'keel',
            workItemId: d.itemId,
            idempotencyKey: `wait.ended:${waitId}`,
            data: { reason: 'budget', waitId },
          },
        ]);
      return undefined;
    }
    const reason = `deferred: its p50 forecast ${formatUsd(f.costMicros.p50)} exceeds the ${formatUsd(Math.max(0, tightest.left))} left in ${tightest.id}`;
    await this.ledger.append([
      {
        type: BUDGET_EVENTS.deferred,
        actor: 'keel',
        workItemId: d.itemId,
        idempotencyKey: `budget.deferred:${d.itemId}`,
        data: {
          budgetId: tightest.id,
          forecastMicros: f.costMicros.p50,
          leftMicros: tightest.left,
          reason,
        },
      },
      {
        type: 'wait.started',
        actor: 'keel',
        workItemId: d.itemId,
        idempotencyKey: `wait.started:${waitId}`,
        data: { reason: 'budget', waitId, action: 'defer', budgets: [tightest.id], detail: reason },
      },
    ]);
    return reason;
  }

  private async approval(
    itemId: string,
    approvalId: string,
  ): Promise<'none' | 'pending' | 'approved' | 'rejected'> {
    const events = await this.ledger.read({
      workItemId: itemId,
      types: ['approval.requested', 'approval.decided'],
    });
    let state: 'none' | 'pending' | 'approved' | 'rejected' = 'none';
    for (const e of events) {
      if (e.data.approvalId !== approvalId) continue;
      if (e.type === 'approval.requested' && state === 'none') state = 'pending';
      else if (e.type === 'approval.decided')
        state = e.data.decision === 'approved' ? 'approved' : 'rejected';
    }
    return state;
  }

  private async requestApproval(
    d: Dispatch,
    approvalId: string,
    decision: {
      decidedBy: string[];
      findings: { budgetId: string; owner: string }[];
      reason: string;
    },
  ): Promise<void> {
    const owner =
      decision.findings.find((f) => decision.decidedBy.includes(f.budgetId))?.owner ?? '';
    const members = this.config.roles[owner]?.members ?? [];
    const event: NewEvent = {
      type: 'approval.requested',
      actor: 'keel',
      workItemId: d.itemId,
      idempotencyKey: `${approvalId}:requested`,
      data: {
        approvalId,
        kind: 'budget',
        pass: d.pass,
        attempt: d.attempt,
        role: owner || 'anyone',
        members: [...members],
        reason: decision.reason,
      },
    };
    await this.ledger.append([event]);
  }

  /** Folds attempt agents and call costs recorded since the last look. */
  private async catchUpCalls(): Promise<void> {
    const events = await this.ledger.read({
      types: ['model_call.recorded'],
      afterSeq: this.calls.seq,
    });
    for (const e of events) {
      this.calls.seq = e.seq;
      const d = e.data;
      if (e.type !== 'model_call.recorded') continue;
      const review = d.purpose === 'review';
      const id = dispatchIdOf({
        itemId: e.workItemId ?? '',
        pass: String(d.pass),
        attempt: Number(d.attempt),
        kind: review ? 'gate' : 'attempt',
        gate: typeof d.gate === 'string' ? d.gate : '',
      });
      // The actor of a call is the agent that made it (the pass's agent, or the reviewer).
      const key = historyKey(
        e.actor,
        review ? 'gate' : 'attempt',
        `${String(d.provider)}/${String(d.model)}`,
      );
      const t = this.calls.totals.get(id) ?? { micros: 0, unpriced: 0, key };
      if (typeof d.costUsd === 'number') t.micros += usdToMicros(d.costUsd);
      else t.unpriced += 1;
      this.calls.totals.set(id, t);
    }
  }

  /** The most the same agent and model cost over its last dispatches, else the worst case of a typical call. */
  private async estimate(d: Dispatch): Promise<number> {
    await this.catchUpCalls();
    const key = historyKey(d.agent, d.kind, `${d.model?.provider}/${d.model?.model}`);
    const past = [...this.calls.totals.values()].filter((t) => t.key === key && t.unpriced === 0);
    if (past.length > 0) return Math.max(...past.slice(-HISTORY_WINDOW).map((t) => t.micros));
    if (!d.model) return 0;
    const worst = worstCaseCost({
      provider: d.model.provider,
      model: d.model.model,
      promptTokens: TYPICAL_PROMPT_TOKENS,
      maxOutputTokens: TYPICAL_OUTPUT_TOKENS,
      at: new Date(),
      catalog: this.catalog,
    });
    return worst.status === 'priced' ? worst.costMicros : 0;
  }
}
