/**
 * Dispatch through the scheduler and the persisted reservations: the engine
 * offers the attempts it would start; each round (one ledger transaction)
 * expires dead leases, lets the scheduler pick, for every free pool slot, the
 * best pass whose budget check passes and whose resources can all be taken now
 * (re-planning around busy ones), takes those resources, and records every
 * wait (`wait.started` / `wait.ended`, reason `resource`, `pool` or `budget`)
 * so that wait-state is measured and shown. Leases are renewed while an
 * attempt lives, checked by fencing token before it commits, and released
 * when it ends.
 */
import { InvalidInputError, type Priority, type RuntimeKind } from '../../core/index.ts';
import type { LedgerStore, NewEvent } from '../../ledger/index.ts';
import type {
  Grant,
  LockMode,
  Owner,
  RenewOutcome,
  ReservationConfig,
  ReservationManager,
} from '../reservations/index.ts';
import {
  type BudgetCheck,
  type Decision,
  type PoolDecl,
  type ReadyPass,
  reservationCheck,
  Scheduler,
  type WaitRecord,
} from '../scheduler/index.ts';
import { LedgerReservations } from './ledger-reservations.ts';

/** An attempt the engine is ready to start. */
export interface PassCandidate {
  workItem: string;
  pass: string;
  attempt: number;
  agent: string;
  team: string;
  project: string;
  priority: Priority;
  runtime: RuntimeKind;
  resources: readonly { id: string; mode: LockMode }[];
}

/** A candidate the scheduler let through: its slot and the reservation it holds. */
export interface Admission {
  id: string;
  candidate: PassCandidate;
  pool: string;
  slot: number;
  /** The reservation holding its resources (null when it declares none). */
  reservationId: string | null;
  grants: Grant[];
}

export interface PassDispatcherOptions {
  ledger: LedgerStore;
  reservations: ReservationConfig;
  pools: readonly PoolDecl[];
  /** Budget check injected by the cost domain; every pass may go when absent. */
  budget?: BudgetCheck;
  /** Lease length of a pass's reservation (default 2 min); renewed while the attempt lives. */
  leaseMs?: number;
  now?: () => number;
  actor?: string;
}

interface OpenWait {
  waitId: string;
  workItem: string;
  pass: string;
  reason: string;
  detail: string;
  since: number;
}

const DEFAULT_LEASE_MS = 120_000;
const WAIT_PREFIX = 'sched:';

/** The scheduler's pass id of a candidate. */
export function passRunId(c: Pick<PassCandidate, 'workItem' | 'pass' | 'attempt'>): string {
  return `${c.workItem}/${c.pass}#${c.attempt}`;
}

function ownerOf(c: PassCandidate): Owner {
  return { agent: c.agent, workItem: c.workItem, attempt: c.attempt };
}

/** The engine's gateway to pool slots, resources and budgets; one per engine run. */
export class PassDispatcher {
  readonly reservations: LedgerReservations;
  readonly scheduler: Scheduler;
  private readonly options: PassDispatcherOptions;
  private readonly clock: () => number;
  private readonly candidates = new Map<string, PassCandidate>();
  private readonly admitted = new Map<string, Admission>();
  /** Waits recorded in the ledger and not yet ended, by scheduler pass id. */
  private readonly open = new Map<string, OpenWait>();
  private readonly rateLimited: ReadonlySet<string>;

  private constructor(options: PassDispatcherOptions, reservations: LedgerReservations) {
    this.options = options;
    this.clock = options.now ?? Date.now;
    this.reservations = reservations;
    this.scheduler = Scheduler.create({ pools: options.pools });
    this.rateLimited = new Set(
      options.reservations.resources.filter((r) => r.kind === 'rate').map((r) => r.id),
    );
  }

  /**
   * Opens the dispatcher: replays the reservations, releases those of attempts
   * the ledger shows finished, and adopts this scheduler's waits left open.
   */
  static async open(options: PassDispatcherOptions): Promise<PassDispatcher> {
    const reservations = await LedgerReservations.open(options.ledger, {
      config: options.reservations,
      ...(options.now && { now: options.now }),
      ...(options.actor && { actor: options.actor }),
    });
    const d = new PassDispatcher(options, reservations);
    await d.releaseFinished();
    await d.adoptOpenWaits();
    return d;
  }

  /**
   * One scheduling round over the attempts the engine could start now: returns
   * those admitted (slot taken, resources held); the rest wait, recorded.
   */
  async admit(offered: readonly PassCandidate[]): Promise<Admission[]> {
    const now = this.clock();
    const ids = new Set<string>();
    for (const c of offered) {
      const id = passRunId(c);
      ids.add(id);
      if (this.admitted.has(id) || this.candidates.has(id)) continue;
      const ready = this.readyPass(id, c, now);
      // Waiting would be forever: say so instead of polling.
      if (!this.scheduler.index.runnable(ready)) {
        throw new InvalidInputError(
          `no pool can run pass ${c.pass} of ${c.workItem}: none offers runtime ${c.runtime}`,
          {
            hint: 'add the runtime to a pool in keel.yaml `pools:` (or remove its `runtimes:` list)',
          },
        );
      }
      this.candidates.set(id, c);
      this.scheduler.enqueue(ready);
    }
    // Offered before, not now (its item moved on, or was stopped): no longer waiting.
    for (const id of [...this.candidates.keys()]) {
      if (ids.has(id)) continue;
      this.candidates.delete(id);
      this.scheduler.withdraw(id);
    }
    const admissions = await this.reservations.decide((m, at) => {
      const tick = m.tick(at);
      const decision = this.scheduler.decide(at, {
        ...(this.options.budget && { budget: this.options.budget }),
        resources: reservationCheck(m),
      });
      const refused = decision.waits.find((w) => w.detail.startsWith('refused ('));
      if (refused) {
        throw new InvalidInputError(
          `pass ${refused.pass} can never get its resources: ${refused.detail}`,
          {
            hint: "check the pass's `resources` and its agent's `access.resources` (keel validate)",
          },
        );
      }
      const { admissions: out, events, refusedIds } = this.take(m, decision, at);
      // A pass whose resources were taken between probe and grant stays queued.
      const committed: Decision = {
        ...decision,
        dispatch: decision.dispatch.filter((x) => !refusedIds.has(x.pass)),
      };
      this.scheduler.commit(committed);
      for (const a of out) {
        this.candidates.delete(a.id);
        this.admitted.set(a.id, a);
      }
      return { result: out, events: [...tick.events, ...events], also: this.waitEvents(at) };
    });
    return admissions;
  }

  /** Renews the lease of an admitted attempt's reservation (call while it lives). */
  async heartbeat(id: string): Promise<RenewOutcome | null> {
    const a = this.admitted.get(id);
    if (!a?.reservationId) return null;
    return this.reservations.renew(a.reservationId, {
      leaseMs: this.options.leaseMs ?? DEFAULT_LEASE_MS,
    });
  }

  /**
   * Checks every fencing token of an admitted attempt before it acts on its
   * resources; a late holder (lease expired, resource granted since) is
   * refused, and the refusal is recorded. Returns why, or null when it may act.
   */
  async checkFences(id: string): Promise<string | null> {
    const a = this.admitted.get(id);
    if (!a) return null;
    for (const g of a.grants) {
      // Rate-limit tokens are spent at grant: nothing stays held, so there is nothing to fence.
      if (this.rateLimited.has(g.resource)) continue;
      const check = await this.reservations.checkFence(g.resource, g.fence);
      if (!check.ok) {
        return `its reservation of ${g.resource} is no longer valid (fencing token ${g.fence} ${check.reason}; latest ${check.latest}): another holder may have used it since, so its changes were not committed`;
      }
    }
    return null;
  }

  /** Frees an admitted attempt's slot and releases its reservation. */
  async finish(id: string): Promise<void> {
    const a = this.admitted.get(id);
    if (!a) return;
    this.admitted.delete(id);
    this.scheduler.complete(id);
    if (a.reservationId) {
      const rid = a.reservationId;
      await this.reservations.decide((m, at) =>
        // Already expired or force-released: nothing left to release.
        m.get(rid) ? m.release(rid, at) : { result: undefined, events: [] },
      );
    }
  }

  /** Ends the waits still open (the engine is stopping: nothing is being waited for by it now). */
  async close(): Promise<void> {
    for (const id of [...this.candidates.keys()]) this.scheduler.withdraw(id);
    this.candidates.clear();
    const at = this.clock();
    const events = this.waitEvents(at);
    if (events.length > 0) await this.options.ledger.append(events);
  }

  /** The lease length of the reservations it takes. */
  get leaseMs(): number {
    return this.options.leaseMs ?? DEFAULT_LEASE_MS;
  }

  /** The admitted attempts, by scheduler pass id. */
  get running(): ReadonlyMap<string, Admission> {
    return this.admitted;
  }

  private readyPass(id: string, c: PassCandidate, now: number): ReadyPass {
    return {
      id,
      workItem: c.workItem,
      pass: c.pass,
      attempt: c.attempt,
      agent: c.agent,
      team: c.team,
      project: c.project,
      priority: c.priority,
      readyAt: now,
      runtime: c.runtime,
      resources: c.resources.map((r) => ({ resource: r.id, mode: r.mode })),
      leaseMs: this.options.leaseMs ?? DEFAULT_LEASE_MS,
    };
  }

  private take(m: ReservationManager, decision: Decision, at: number) {
    const admissions: Admission[] = [];
    const events = [];
    const refusedIds = new Set<string>();
    for (const d of decision.dispatch) {
      const c = this.candidates.get(d.pass);
      if (!c) continue;
      let reservationId: string | null = null;
      let grants: Grant[] = [];
      if (c.resources.length > 0) {
        const t = m.tryAcquire(
          {
            id: `${d.pass}`,
            owner: ownerOf(c),
            priority: c.priority,
            targets: c.resources.map((r) => ({ resource: r.id, mode: r.mode })),
            leaseMs: this.options.leaseMs ?? DEFAULT_LEASE_MS,
            checkpointAt: at,
          },
          at,
        );
        events.push(...t.events);
        if (t.result.kind !== 'granted') {
          refusedIds.add(d.pass);
          continue;
        }
        reservationId = t.result.id;
        grants = t.result.grants;
      }
      admissions.push({
        id: d.pass,
        candidate: c,
        pool: d.pool,
        slot: d.slot,
        reservationId,
        grants,
      });
    }
    return { admissions, events, refusedIds };
  }

  /** `wait.started` / `wait.ended` that bring the ledger in line with the scheduler's current waits. */
  private waitEvents(at: number): NewEvent[] {
    const out: NewEvent[] = [];
    const current = new Map<string, WaitRecord>();
    for (const [id, w] of this.scheduler.waits) if (this.candidates.has(id)) current.set(id, w);
    for (const [id, o] of [...this.open]) {
      const w = current.get(id);
      // One wait per reason: a changing detail (who holds the resource now) is the same wait.
      if (w && w.reason === o.reason) continue;
      this.open.delete(id);
      out.push({
        type: 'wait.ended',
        actor: this.options.actor ?? 'keel',
        workItemId: o.workItem,
        at: new Date(Math.max(at, o.since)).toISOString(),
        idempotencyKey: `wait.ended:${o.waitId}`,
        data: { reason: o.reason, waitId: o.waitId, pass: o.pass },
      });
    }
    for (const [id, w] of current) {
      if (this.open.has(id)) continue;
      const c = this.candidates.get(id)!;
      const since = Math.min(w.since, at);
      // Taken earlier in the same round: name the resources rather than the round.
      const detail =
        w.reason === 'resource' && w.detail.includes('planned by another pass')
          ? `busy: ${c.resources.map((r) => r.id).join(', ')}`
          : w.detail;
      const waitId = `${WAIT_PREFIX}${id}:${w.reason}:${since}`;
      this.open.set(id, {
        waitId,
        workItem: c.workItem,
        pass: c.pass,
        reason: w.reason,
        detail,
        since,
      });
      out.push({
        type: 'wait.started',
        actor: this.options.actor ?? 'keel',
        workItemId: c.workItem,
        at: new Date(since).toISOString(),
        idempotencyKey: `wait.started:${waitId}`,
        data: { reason: w.reason, waitId, pass: c.pass, attempt: c.attempt, detail },
      });
    }
    return out;
  }

  private async releaseFinished(): Promise<void> {
    const held = Object.values(this.reservations.manager.snapshot().reservations);
    if (held.length === 0) return;
    const finished = new Set<string>();
    for (const e of await this.options.ledger.read({ types: ['attempt.finished'] })) {
      const d = e.data as { pass?: string; attempt?: number };
      finished.add(`${e.workItemId}/${d.pass}#${d.attempt}`);
    }
    for (const r of held) {
      if (finished.has(r.id)) await this.reservations.ownerDied(r.owner);
    }
  }

  private async adoptOpenWaits(): Promise<void> {
    const open = new Map<string, OpenWait>();
    for (const e of await this.options.ledger.read({ types: ['wait.started', 'wait.ended'] })) {
      const d = e.data as { waitId?: string; reason?: string; detail?: string; pass?: string };
      if (!d.waitId?.startsWith(WAIT_PREFIX)) continue;
      if (e.type === 'wait.ended') {
        open.delete(d.waitId);
        continue;
      }
      open.set(d.waitId, {
        waitId: d.waitId,
        workItem: e.workItemId ?? '',
        pass: d.pass ?? '',
        reason: d.reason ?? '',
        detail: d.detail ?? '',
        since: Date.parse(e.at),
      });
    }
    // Keyed by a pass id no live candidate has: the first round ends them.
    for (const w of open.values()) this.open.set(`${w.waitId}`, w);
  }
}
