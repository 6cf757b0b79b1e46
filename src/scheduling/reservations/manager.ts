/**
 * The reservation manager: grants, queues or refuses requests for shared
 * resources; leases, fencing, aging, preemption, deadlock breaking. It does no
 * I/O and reads no clock — time is an argument — so it is deterministic. Every
 * change is an event applied through the reducer; persist the events of each
 * transition and `replay` rebuilds the identical state.
 */
import type { Priority } from '../../core/index.ts';
import { buildCatalog, type Catalog, normaliseConfig } from './catalog.ts';
import { ReservationConfigError } from './errors.ts';
import { type Evaluation, LockTable, ownerKey, type PlannedClaim, rank } from './lock-table.ts';
import type {
  Blocker,
  FenceCheck,
  ProbeOutcome,
  ReleaseOutcome,
  RenewOutcome,
  RequestOutcome,
  TickReport,
  Transition,
} from './outcomes.ts';
import { applyEvent } from './reducer.ts';
import type {
  DeadlockReport,
  Grant,
  NormalisedConfig,
  Owner,
  RequeueCause,
  Reservation,
  ReservationConfig,
  ReservationEvent,
  ReservationRequest,
  ReservationState,
  Target,
  WaitingRecord,
} from './types.ts';
import { validateRequest } from './validate-request.ts';
import { findDeadlocks, type WaitNode } from './wait-for-graph.ts';

const MAX_LISTED = 32;

function initialState(config: NormalisedConfig): ReservationState {
  return {
    version: 1,
    config,
    nextId: 1,
    seq: 0,
    fences: {},
    buckets: {},
    reservations: {},
    deadlocks: [],
    stats: {
      granted: 0,
      queued: 0,
      refused: 0,
      released: 0,
      expired: 0,
      preempted: 0,
      deadlocksResolved: 0,
      fenceRejected: 0,
    },
  };
}

function record(r: Reservation): WaitingRecord {
  const out: WaitingRecord = {
    id: r.id,
    owner: r.owner,
    priority: r.priority,
    targets: r.targets,
    leaseMs: r.leaseMs,
    checkpointAt: r.checkpointAt,
    seq: r.seq,
    enqueuedAt: r.enqueuedAt,
  };
  if (r.requeued) out.requeued = r.requeued;
  if (r.keyFloor !== undefined) out.keyFloor = r.keyFloor;
  return out;
}

/** Deterministic, I/O-free reservation manager over a plain serialisable state. */
export class ReservationManager {
  private readonly state: ReservationState;
  private readonly catalog: Catalog;
  private readonly table: LockTable;
  private out: ReservationEvent[] = [];
  /** Holders preempted by the grant in progress, whose waiters are woken after it. */
  private revoked: Reservation[] = [];

  private constructor(state: ReservationState, catalog: Catalog) {
    this.state = state;
    this.catalog = catalog;
    this.table = new LockTable(state, catalog);
  }

  /** A manager with no reservations over the declared resources; throws on bad config. */
  static create(config: ReservationConfig): ReservationManager {
    const normalised = normaliseConfig(config);
    return new ReservationManager(initialState(normalised), buildCatalog(normalised));
  }

  /** A manager resuming from a `snapshot()` (e.g. read back from JSON). */
  static restore(snapshot: ReservationState): ReservationManager {
    if (snapshot?.version !== 1) {
      throw new ReservationConfigError(
        `reservation snapshot: unsupported version ${String(snapshot?.version)}`,
        {
          hint: 'restore a snapshot written by this version of keel',
        },
      );
    }
    const state = structuredClone(snapshot);
    return new ReservationManager(state, buildCatalog(state.config));
  }

  /** Rebuilds a manager by applying persisted events, in order, to a fresh one. */
  static replay(config: ReservationConfig, events: Iterable<ReservationEvent>): ReservationManager {
    const m = ReservationManager.create(config);
    for (const e of events) m.apply(e);
    return m;
  }

  /** A deep copy of the state, plain JSON. */
  snapshot(): ReservationState {
    return structuredClone(this.state);
  }

  /** Applies one persisted event (replay). */
  apply(event: ReservationEvent): void {
    applyEvent(this.table, event);
  }

  /** The resources as declared (normalised). */
  get config(): NormalisedConfig {
    return this.state.config;
  }

  private emit(event: ReservationEvent): void {
    this.out.push(event);
    applyEvent(this.table, event);
  }

  private run<T>(fn: () => T): Transition<T> {
    this.out = [];
    const result = fn();
    const events = this.out;
    this.out = [];
    return { result, events };
  }

  /** Asks for a reservation: granted now, queued, or refused. */
  request(request: ReservationRequest, now: number): Transition<RequestOutcome> {
    return this.run(() => this.acquire(request, now, false));
  }

  /** Like `request`, but never queues: either granted now or `busy` with who is in the way. */
  tryAcquire(request: ReservationRequest, now: number): Transition<RequestOutcome> {
    return this.run(() => this.acquire(request, now, true));
  }

  /**
   * Whether a request could be granted now, with no change to the state.
   * `planned` are claims decided but not yet granted (a scheduler's earlier
   * dispatches in the same round), treated as held.
   */
  probe(
    request: ReservationRequest,
    now: number,
    planned: readonly ReservationRequest[] = [],
  ): ProbeOutcome {
    const v = validateRequest(request, this.state.config, this.catalog);
    if (!v.ok) return { grantable: false, refused: v.reason, message: v.message };
    const overdraw = this.poolOverdraw(request.owner, v.targets);
    if (overdraw) return { grantable: false, refused: 'exceeds-capacity', message: overdraw };
    const claims: PlannedClaim[] = [];
    for (const p of planned) {
      const pv = validateRequest(p, this.state.config, this.catalog);
      if (pv.ok) claims.push({ owner: ownerKey(p.owner), targets: pv.targets });
    }
    const candidate = {
      id: request.id ?? '(probe)',
      owner: request.owner,
      targets: v.targets,
      key: this.table.keyOf({ priority: request.priority, enqueuedAt: now }),
      seq: this.state.seq + 1,
    };
    const ev = this.table.evaluate(candidate, now, false, claims, MAX_LISTED);
    if (ev.grantable) return { grantable: true };
    return {
      grantable: false,
      blockedBy: this.blockers(ev),
      estimatedWaitMs: this.estimate(ev, now),
    };
  }

  /**
   * An owner whose holds and waits on a pool plus this request exceed the pool
   * could only be served by releasing its own units: it would wait on itself
   * forever. Such a request conflicts with itself and is refused.
   */
  private poolOverdraw(owner: Owner, targets: readonly Target[]): string | null {
    for (const t of targets) {
      if (t.kind !== 'pool') continue;
      const capacity = (this.catalog.get(t.resource) as { units: string[] }).units.length;
      let mine = 0;
      for (const id of this.table.byOwner.get(ownerKey(owner)) ?? []) {
        const r = this.state.reservations[id]!;
        for (const x of r.targets)
          if (x.resource === t.resource && x.kind === 'pool') mine += x.amount;
      }
      if (mine + t.amount > capacity) {
        return `${ownerKey(owner)} already holds or waits for ${mine} of the ${capacity} units of "${t.resource}"; ${t.amount} more could never be granted`;
      }
    }
    return null;
  }

  private acquire(request: ReservationRequest, now: number, tryOnly: boolean): RequestOutcome {
    const v = validateRequest(request, this.state.config, this.catalog);
    const given = typeof request.id === 'string' ? request.id : null;
    const refuse = (
      reason: Extract<RequestOutcome, { kind: 'refused' }>['reason'],
      message: string,
    ) => {
      this.emit({
        type: 'reservation.refused',
        at: now,
        id: given,
        owner: request.owner,
        reason,
        message,
      });
      return { kind: 'refused' as const, id: given, reason, message };
    };
    if (!v.ok) return refuse(v.reason, v.message);
    const overdraw = this.poolOverdraw(request.owner, v.targets);
    if (overdraw) return refuse('exceeds-capacity', overdraw);
    if (given !== null && (given.length === 0 || this.state.reservations[given])) {
      return refuse('duplicate-id', `reservation id "${given}" is empty or already in use`);
    }
    const rec: WaitingRecord = {
      id: given ?? `rsv-${this.state.nextId}`,
      owner: {
        agent: request.owner.agent,
        workItem: request.owner.workItem,
        attempt: request.owner.attempt,
      },
      priority: request.priority,
      targets: v.targets,
      leaseMs: request.leaseMs,
      checkpointAt: request.checkpointAt ?? now,
      seq: this.state.seq + 1,
      enqueuedAt: now,
    };
    const candidate = { ...rec, key: this.table.keyOf(rec) };
    if (this.table.evaluate(candidate, now, true).grantable) return this.grant(rec, now, []);
    const preempted = this.preemptFor(rec, candidate.key, now);
    if (preempted) {
      const granted = this.grant(rec, now, preempted);
      this.wakeAfterPreemption(now);
      return granted;
    }
    const full = this.table.evaluate(candidate, now, false, [], MAX_LISTED);
    if (tryOnly) {
      return {
        kind: 'busy',
        blockedBy: this.blockers(full),
        estimatedWaitMs: this.estimate(full, now),
      };
    }
    const blockedBy = this.blockers(full);
    this.emit({
      type: 'reservation.queued',
      at: now,
      reservation: rec,
      blockedBy: blockedBy.map((b) => b.id),
    });
    return {
      kind: 'queued',
      id: rec.id,
      position: this.table.queue.findIndex((q) => q.rid === rec.id),
      blockedBy,
      estimatedWaitMs: this.estimate(full, now),
    };
  }

  private grant(rec: WaitingRecord, now: number, preempted: string[]): RequestOutcome {
    // Two row ranges of one table in one request each get their own token.
    const issued = new Map<string, number>();
    const grants: Grant[] = rec.targets.map((t) => {
      const fence = (issued.get(t.resource) ?? this.state.fences[t.resource] ?? 0) + 1;
      issued.set(t.resource, fence);
      const g: Grant = { resource: t.resource, fence };
      if (t.kind === 'pool') g.units = this.table.freeUnits(t.resource).slice(0, t.amount);
      return g;
    });
    const expiresAt = now + rec.leaseMs;
    this.emit({ type: 'reservation.granted', at: now, reservation: rec, grants, expiresAt });
    return { kind: 'granted', id: rec.id, grants, expiresAt, preempted };
  }

  // Victim order shared by preemption and deadlock breaking: lowest priority
  // first, then least work lost (latest checkpoint), then the youngest request.
  private victimOrder(now: number) {
    return (a: Reservation, b: Reservation) =>
      rank(b.priority) - rank(a.priority) ||
      now - a.checkpointAt - (now - b.checkpointAt) ||
      b.seq - a.seq ||
      (a.id < b.id ? -1 : 1);
  }

  private requeueRecord(
    r: Reservation,
    now: number,
    seq: number,
    cause: RequeueCause,
    keyFloor?: number,
  ): WaitingRecord {
    const out: WaitingRecord = { ...record(r), seq, enqueuedAt: now, requeued: cause };
    delete out.keyFloor;
    if (keyFloor !== undefined && Number.isFinite(keyFloor)) out.keyFloor = keyFloor;
    return out;
  }

  /**
   * A P0 request blocked only by lower-priority holders takes their place: each
   * is revoked (a `preempted` notice: its attempt checkpoints) and requeued.
   * Returns the preempted ids, or null when preemption cannot make it grantable.
   */
  private preemptFor(rec: WaitingRecord, key: number, now: number): string[] | null {
    // A deadlock victim's requests wait behind the cycle they broke; letting
    // them preempt would rebuild the same cycle at once.
    if (!this.state.config.preemption || rec.priority !== 'P0' || rec.requeued === 'deadlock')
      return null;
    const ev = this.table.evaluate({ ...rec, key }, now, false);
    if (ev.queueBlockers.size > 0 || ev.rateWaitMs > 0) return null;
    const victims = new Set<string>();
    for (const id of ev.holdBlockers) {
      if (this.state.reservations[id]!.priority === 'P0') return null;
      victims.add(id);
    }
    for (const short of ev.poolShort) {
      const candidates = short.holders
        .map((id) => this.state.reservations[id]!)
        .filter((r) => r.priority !== 'P0')
        .sort(this.victimOrder(now));
      let freed = 0;
      for (const r of candidates) {
        if (freed >= short.missing) break;
        if (!victims.has(r.id)) victims.add(r.id);
        freed += r.grants?.find((g) => g.resource === short.pool)?.units?.length ?? 0;
      }
      if (freed < short.missing) return null;
    }
    if (victims.size === 0) return null;
    const ids = [...victims].sort();
    for (const id of ids) {
      const r = this.state.reservations[id]!;
      this.revoked.push(r);
      this.emit({
        type: 'reservation.preempted',
        at: now,
        id,
        by: rec.id,
        requeue: this.requeueRecord(r, now, Math.max(this.state.seq, rec.seq) + 1, 'preempted'),
      });
    }
    return ids;
  }

  /** Serves waiters that may now proceed, in queue order. */
  private grantPass(candidates: Iterable<string>, now: number): void {
    const waiting = [...new Set(candidates)]
      .map((id) => this.state.reservations[id])
      .filter((r): r is Reservation => r?.status === 'waiting')
      .map((r) => ({ r, key: this.table.keyOf(r) }))
      .sort((a, b) => a.key - b.key || a.r.seq - b.r.seq);
    for (const { r, key } of waiting) {
      if (this.state.reservations[r.id]?.status !== 'waiting') continue;
      const rec = record(r);
      if (this.table.evaluate({ ...rec, key }, now, true).grantable) {
        this.grant(rec, now, []);
        continue;
      }
      const preempted = this.preemptFor(rec, key, now);
      if (preempted) {
        this.grant(rec, now, preempted);
        this.wakeAfterPreemption(now);
      }
    }
  }

  // A preempted holder's departure can free others than the preemptor (a
  // compatible waiter the holder blocked): serve them too.
  private wakeAfterPreemption(now: number): void {
    const revoked = this.revoked;
    this.revoked = [];
    if (revoked.length > 0)
      this.grantPass(
        revoked.flatMap((r) => [...this.table.waitersAffectedBy(r)]),
        now,
      );
  }

  /** Ends a held reservation or cancels a waiting one; the next waiters are served. */
  release(id: string, now: number): Transition<ReleaseOutcome> {
    return this.run(() => {
      const r = this.state.reservations[id];
      if (!r) return { released: false, id, reason: 'unknown' } as const;
      this.emit({
        type: 'reservation.released',
        at: now,
        id,
        reason: r.status === 'held' ? 'released' : 'cancelled',
      });
      this.grantPass(this.table.waitersAffectedBy(r), now);
      return { released: true, id, granted: this.grantedIds() } as const;
    });
  }

  /** Force-releases everything a dead (crashed, hung) owner holds or waits for. */
  ownerDied(owner: Owner, now: number): Transition<ReleaseOutcome[]> {
    return this.run(() => {
      const ids = [...(this.table.byOwner.get(ownerKey(owner)) ?? [])].sort();
      const gone = ids.map((id) => this.state.reservations[id]!);
      for (const id of ids)
        this.emit({ type: 'reservation.released', at: now, id, reason: 'owner-dead' });
      this.grantPass(
        gone.flatMap((r) => [...this.table.waitersAffectedBy(r)]),
        now,
      );
      const granted = this.grantedIds();
      return ids.map((id) => ({ released: true as const, id, granted }));
    });
  }

  /** Extends a live lease (and optionally records a new checkpoint). */
  renew(
    id: string,
    now: number,
    options: { leaseMs?: number; checkpointAt?: number } = {},
  ): Transition<RenewOutcome> {
    return this.run((): RenewOutcome => {
      const r = this.state.reservations[id];
      if (!r) return { renewed: false, id, reason: 'unknown' };
      if (r.status !== 'held') return { renewed: false, id, reason: 'not-held' };
      if (now >= r.expiresAt!) {
        this.expire([r], now);
        return { renewed: false, id, reason: 'expired' };
      }
      const leaseMs = options.leaseMs ?? r.leaseMs;
      if (!Number.isInteger(leaseMs) || leaseMs <= 0) {
        throw new ReservationConfigError(
          `renew ${id}: leaseMs must be a positive integer, got ${String(leaseMs)}`,
          {
            hint: 'pass a lease length in milliseconds',
          },
        );
      }
      const expiresAt = now + leaseMs;
      this.emit({
        type: 'reservation.renewed',
        at: now,
        id,
        expiresAt,
        checkpointAt: options.checkpointAt ?? r.checkpointAt,
      });
      return { renewed: true, id, expiresAt };
    });
  }

  private expire(expired: Reservation[], now: number): void {
    for (const r of expired) {
      this.emit({ type: 'reservation.expired', at: now, id: r.id, expiresAt: r.expiresAt! });
    }
    this.grantPass(
      expired.flatMap((r) => [...this.table.waitersAffectedBy(r)]),
      now,
    );
  }

  /**
   * Advances time: expires leases (`now >= expiresAt`), serves waiters that can
   * now proceed (released locks, refilled rate limits, P0 preemption), then
   * detects and breaks deadlocks.
   */
  tick(now: number): Transition<TickReport> {
    return this.run(() => {
      const expired = Object.values(this.state.reservations)
        .filter((r) => r.status === 'held' && now >= r.expiresAt!)
        .sort((a, b) => a.expiresAt! - b.expiresAt! || (a.id < b.id ? -1 : 1));
      this.expire(expired, now);
      const candidates = new Set<string>();
      for (const list of this.table.rateWaits.values()) for (const d of list) candidates.add(d.rid);
      if (this.state.config.preemption) {
        for (const q of this.table.queue) {
          if (this.state.reservations[q.rid]!.priority === 'P0') candidates.add(q.rid);
        }
      }
      this.grantPass(candidates, now);
      const deadlocks = this.breakDeadlocks(now);
      return {
        expired: expired.map((r) => r.id),
        granted: this.grantedIds(),
        preempted: this.out.flatMap((e) => (e.type === 'reservation.preempted' ? [e.id] : [])),
        deadlocks,
      };
    });
  }

  /** Detects deadlocks now and breaks each by rolling one victim back to its checkpoint. */
  detectDeadlocks(now: number): Transition<DeadlockReport[]> {
    return this.run(() => this.breakDeadlocks(now));
  }

  private grantedIds(): string[] {
    return this.out.flatMap((e) => (e.type === 'reservation.granted' ? [e.reservation.id] : []));
  }

  /** The wait-for graph between owners: waiting owner → owners it waits for. */
  waitForGraph(now: number): Map<string, WaitNode & { waiting: string[] }> {
    const graph = new Map<string, { and: Set<string>; or: string[][]; waiting: string[] }>();
    const ownerOf = (id: string) => ownerKey(this.state.reservations[id]!.owner);
    for (const q of this.table.queue) {
      const r = this.state.reservations[q.rid]!;
      const k = ownerKey(r.owner);
      let node = graph.get(k);
      if (!node) {
        node = { and: new Set(), or: [], waiting: [] };
        graph.set(k, node);
      }
      node.waiting.push(r.id);
      const ev = this.table.evaluate({ ...r, key: q.key }, now, false);
      for (const id of ev.holdBlockers) node.and.add(ownerOf(id));
      for (const id of ev.queueBlockers) node.and.add(ownerOf(id));
      for (const s of ev.poolShort) node.or.push(s.holders.map(ownerOf));
    }
    return graph;
  }

  private breakDeadlocks(now: number): DeadlockReport[] {
    const reports: DeadlockReport[] = [];
    // Each round breaks every cycle found; breaking one may expose none or
    // unblock others, so repeat until the graph is clean (bounded by owners).
    for (let round = 0; round <= this.table.byOwner.size; round++) {
      const graph = this.waitForGraph(now);
      const cycles = findDeadlocks(graph);
      if (cycles.length === 0) break;
      for (const cycle of cycles) {
        const victim = this.chooseVictim(cycle, now);
        const ids = [...(this.table.byOwner.get(victim.owner) ?? [])].sort(
          (a, b) => this.state.reservations[a]!.seq - this.state.reservations[b]!.seq,
        );
        const cycleWaits = cycle.flatMap((o) =>
          o === victim.owner ? [] : (graph.get(o)?.waiting ?? []),
        );
        const floor = Math.max(
          ...cycleWaits.map((id) => this.table.keyOf(this.state.reservations[id]!)),
        );
        const requeue = ids.map((id, i) => {
          const r = this.state.reservations[id]!;
          return this.requeueRecord(r, now, this.state.seq + 1 + i, 'deadlock', floor);
        });
        const report: DeadlockReport = {
          at: now,
          cycle: [...cycle].sort(),
          reservations: cycle.flatMap((o) => graph.get(o)?.waiting ?? []).sort(),
          victim: victim.owner,
          reason: victim.reason,
          requeued: ids,
        };
        const revoked = ids.map((id) => this.state.reservations[id]!);
        this.emit({ type: 'reservation.deadlock_resolved', at: now, report, requeue });
        reports.push(report);
        // The victim's own requeued requests are candidates too: one may be free.
        this.grantPass(
          [...ids, ...revoked.flatMap((r) => [...this.table.waitersAffectedBy(r)])],
          now,
        );
      }
    }
    return reports;
  }

  private chooseVictim(cycle: string[], now: number): { owner: string; reason: string } {
    const summary = cycle.map((owner) => {
      const rs = [...(this.table.byOwner.get(owner) ?? [])].map(
        (id) => this.state.reservations[id]!,
      );
      return {
        owner,
        rank: Math.min(...rs.map((r) => rank(r.priority))),
        work: now - Math.max(...rs.map((r) => r.checkpointAt)),
        seq: Math.max(...rs.map((r) => r.seq)),
      };
    });
    summary.sort(
      (a, b) => b.rank - a.rank || a.work - b.work || b.seq - a.seq || (a.owner < b.owner ? -1 : 1),
    );
    const v = summary[0]!;
    const others = summary.slice(1);
    const reason = others.every((o) => o.rank < v.rank)
      ? `lowest priority (P${v.rank})`
      : `least work since its checkpoint (${v.work} ms) among P${v.rank} owners`;
    return { owner: v.owner, reason };
  }

  /** Checks a fencing token before a holder's action; a stale or expired token is refused and reported. */
  checkFence(resource: string, token: number, now: number): Transition<FenceCheck> {
    return this.run((): FenceCheck => {
      const latest = this.state.fences[resource] ?? 0;
      const reject = (reason: Extract<FenceCheck, { ok: false }>['reason']): FenceCheck => {
        this.emit({ type: 'reservation.fence_rejected', at: now, resource, token, reason, latest });
        return { ok: false, reason, latest };
      };
      if (!this.catalog.has(resource)) return reject('unknown-resource');
      const holders = new Set<string>([
        ...(this.table.holdsByNode.get(resource)?.keys() ?? []),
        ...(this.table.poolUnits.get(resource)?.values() ?? []),
      ]);
      for (const id of holders) {
        const r = this.state.reservations[id]!;
        if (r.grants?.some((g) => g.resource === resource && g.fence === token)) {
          return now >= r.expiresAt! ? reject('expired') : { ok: true, holder: id };
        }
      }
      return reject(
        Number.isInteger(token) && token > 0 && token <= latest ? 'stale' : 'unknown-token',
      );
    });
  }

  /**
   * Who stands in the way: every conflicting holder, then the nearest waiters
   * ahead from the front of the queue — at most MAX_LISTED in all, so a request behind a long queue does
   * not carry the whole queue in its outcome and event (the estimate still
   * counts every waiter ahead).
   */
  private blockers(ev: Evaluation): Blocker[] {
    const ids = new Set<string>();
    for (const group of [
      ev.holdBlockers,
      ev.poolShort.flatMap((s) => s.holders),
      ev.queueBlockers,
    ]) {
      for (const id of group) {
        if (ids.size >= MAX_LISTED) break;
        ids.add(id);
      }
    }
    return [...ids].map((id) => {
      const r = this.state.reservations[id]!;
      const b: Blocker = {
        id,
        owner: r.owner,
        priority: r.priority,
        status: r.status,
        resources: [...new Set(r.targets.map((t) => t.resource))],
      };
      if (r.expiresAt !== undefined) b.expiresAt = r.expiresAt;
      return b;
    });
  }

  /**
   * An upper-bound wait from leases: conflicting holders keep their whole
   * remaining lease, then the waiters ahead hold theirs one after another
   * (the first MAX_LISTED of them, so a deep queue is under-estimated).
   */
  private estimate(ev: Evaluation, now: number): number {
    const remaining = (id: string) =>
      Math.max(0, (this.state.reservations[id]!.expiresAt ?? now) - now);
    let wait = ev.rateWaitMs;
    for (const id of ev.holdBlockers) wait = Math.max(wait, remaining(id));
    for (const s of ev.poolShort) {
      const soonest = s.holders.map(remaining).sort((a, b) => a - b);
      wait = Math.max(wait, soonest[Math.min(s.missing, soonest.length) - 1] ?? 0);
    }
    for (const id of ev.queueBlockers) wait += this.state.reservations[id]!.leaseMs;
    return wait;
  }

  /** A reservation by id (a copy), or undefined. */
  get(id: string): Reservation | undefined {
    const r = this.state.reservations[id];
    return r && structuredClone(r);
  }

  /** The internal indexes, for the view and inheritance computations in this folder. */
  get lockTable(): LockTable {
    return this.table;
  }

  /** Base priority rank of an owner: its most urgent reservation. */
  ownerPriority(owner: string): Priority | undefined {
    const ids = this.table.byOwner.get(owner);
    if (!ids) return undefined;
    const best = Math.min(...[...ids].map((id) => rank(this.state.reservations[id]!.priority)));
    return `P${best}` as Priority;
  }
}
