/**
 * The reservation manager persisted in the ledger. Every decision runs inside
 * one ledger transaction: catch up on the reservation events other processes
 * appended since this one last looked, decide, append the decision's events
 * (and any events the caller records with it) — so any number of processes
 * share one consistent reservation state, and reopening replays it exactly.
 */
import { KeelError } from '../../core/index.ts';
import type { LedgerStore, LedgerTransaction, NewEvent } from '../../ledger/index.ts';
import {
  type FenceCheck,
  type Owner,
  type ReleaseOutcome,
  type RenewOutcome,
  type RequestOutcome,
  type ReservationConfig,
  type ReservationEvent,
  ReservationManager,
  type ReservationRequest,
  type ReservationView,
  reservationView,
  type TickReport,
  type Transition,
} from '../reservations/index.ts';
import {
  fromLedgerEvent,
  ownerItemOf,
  RESERVATION_FAMILY,
  toLedgerEvent,
} from './ledger-events.ts';

/** The recorded reservation events no longer fit the declared resources (or are corrupt). */
export class ReservationReplayError extends KeelError {
  override readonly name = 'ReservationReplayError';
}

export interface LedgerReservationsOptions {
  config: ReservationConfig;
  /** The clock, in ms (default Date.now); read inside each transaction. */
  now?: () => number;
  /** Actor of the events appended (default `keel`). */
  actor?: string;
}

/** What a decision returns: the manager's transition plus events to record in the same transaction. */
export interface Decided<T> extends Transition<T> {
  also?: NewEvent[];
}

const PAGE = 5000;

/** A reservation manager whose state lives in the ledger's `reservation.*` events. */
export class LedgerReservations {
  readonly ledger: LedgerStore;
  private readonly config: ReservationConfig;
  private readonly clock: () => number;
  private readonly actor: string;
  private current: ReservationManager;
  private seen = 0;
  private dirty = false;
  /** Reservation id → work item, to attribute events that only carry the id. */
  private readonly items = new Map<string, string>();

  private constructor(ledger: LedgerStore, options: LedgerReservationsOptions) {
    this.ledger = ledger;
    this.config = options.config;
    this.clock = options.now ?? Date.now;
    this.actor = options.actor ?? 'keel';
    this.current = ReservationManager.create(options.config);
  }

  /** Opens the persisted manager: replays every recorded reservation event. */
  static async open(
    ledger: LedgerStore,
    options: LedgerReservationsOptions,
  ): Promise<LedgerReservations> {
    const r = new LedgerReservations(ledger, options);
    await r.refresh();
    return r;
  }

  /** The manager as of the last event this process saw (read it, never change it directly). */
  get manager(): ReservationManager {
    return this.current;
  }

  /** The ledger seq up to which this process has applied reservation events. */
  get lastSeq(): number {
    return this.seen;
  }

  /** Catches up with events appended elsewhere (outside a transaction, for reads). */
  async refresh(): Promise<void> {
    if (this.dirty) this.reset();
    for (;;) {
      const page = await this.ledger.read({
        types: [RESERVATION_FAMILY],
        afterSeq: this.seen,
        limit: PAGE,
      });
      this.applyAll(page);
      if (page.length < PAGE) return;
    }
  }

  /**
   * Runs one decision serialised against every other writer: catch up, call
   * `fn` with the manager and the time, append its events and `also`.
   */
  async decide<T>(
    fn: (manager: ReservationManager, now: number, tx: LedgerTransaction) => Decided<T>,
  ): Promise<T> {
    return this.ledger.transaction(async (tx) => {
      if (this.dirty) this.reset();
      await this.catchUp(tx);
      const now = this.clock();
      let decided: Decided<T>;
      try {
        decided = fn(this.current, now, tx);
      } catch (error) {
        // The manager may hold half a transition the ledger will not: rebuild it next time.
        this.dirty = true;
        throw error;
      }
      const records = decided.events.map((e) => {
        const item = this.attribute(e);
        return toLedgerEvent(e, item ?? null, this.actor);
      });
      try {
        const stored = await tx.append([...records, ...(decided.also ?? [])]);
        this.seen = Math.max(this.seen, stored.at(-1)?.seq ?? this.seen);
      } catch (error) {
        this.dirty = true;
        throw error;
      }
      return decided.result;
    });
  }

  /** Asks for a reservation (granted, queued or refused), recorded in the ledger. */
  request(request: ReservationRequest, also: NewEvent[] = []): Promise<RequestOutcome> {
    return this.decide((m, now) => ({ ...m.request(request, now), also }));
  }

  /** Takes a reservation now or reports `busy`; never queues. */
  tryAcquire(request: ReservationRequest, also: NewEvent[] = []): Promise<RequestOutcome> {
    return this.decide((m, now) => ({ ...m.tryAcquire(request, now), also }));
  }

  /** Releases a hold or cancels a wait. */
  release(id: string, also: NewEvent[] = []): Promise<ReleaseOutcome> {
    return this.decide((m, now) => ({ ...m.release(id, now), also }));
  }

  /** Extends a live lease (the holder is alive). */
  renew(id: string, options: { leaseMs?: number; checkpointAt?: number } = {}) {
    return this.decide<RenewOutcome>((m, now) => m.renew(id, now, options));
  }

  /** Force-releases everything a dead or hung owner holds or waits for. */
  ownerDied(owner: Owner): Promise<ReleaseOutcome[]> {
    return this.decide((m, now) => m.ownerDied(owner, now));
  }

  /** Expires leases, serves waiters, breaks deadlocks. */
  tick(): Promise<TickReport> {
    return this.decide((m, now) => m.tick(now));
  }

  /** Checks a holder's fencing token before an action; a rejection is recorded. */
  checkFence(resource: string, token: number): Promise<FenceCheck> {
    return this.decide((m, now) => m.checkFence(resource, token, now));
  }

  /** Holders, waiters, leases, tokens and deadlocks at `now` (after catching up). */
  async view(now = this.clock()): Promise<ReservationView> {
    await this.refresh();
    return reservationView(this.current, now);
  }

  private async catchUp(tx: LedgerTransaction): Promise<void> {
    for (;;) {
      const page = await tx.read({ types: [RESERVATION_FAMILY], afterSeq: this.seen, limit: PAGE });
      this.applyAll(page);
      if (page.length < PAGE) return;
    }
  }

  private applyAll(page: readonly { seq: number; type: string; data: unknown }[]): void {
    for (const row of page) {
      const event = fromLedgerEvent(row as never);
      try {
        this.attribute(event);
        this.current.apply(event);
      } catch (error) {
        this.dirty = true;
        throw new ReservationReplayError(
          `ledger event #${row.seq} (${row.type}) does not fit the reservation state: ${(error as Error).message}`,
          {
            hint: 'a resource it names may have been removed from keel.yaml; restore it, or let its holders finish first',
          },
        );
      }
      this.seen = row.seq;
    }
  }

  private attribute(event: ReservationEvent): string | undefined {
    const owner = ownerItemOf(event);
    if (owner !== undefined) {
      const id =
        event.type === 'reservation.refused'
          ? event.id
          : event.type === 'reservation.preempted'
            ? event.id
            : 'reservation' in event
              ? event.reservation.id
              : null;
      if (id) this.items.set(id, owner);
      return owner;
    }
    if (event.type === 'reservation.deadlock_resolved') {
      for (const w of event.requeue) this.items.set(w.id, w.owner.workItem);
      return undefined;
    }
    if ('id' in event && typeof event.id === 'string') return this.items.get(event.id);
    return undefined;
  }

  private reset(): void {
    this.current = ReservationManager.create(this.config);
    this.seen = 0;
    this.items.clear();
    this.dirty = false;
  }
}
