/**
 * The one place state changes: applies an event to the state and its indexes.
 * The manager decides, emits an event and applies it through here, and replay
 * applies the same events through here — so replay reproduces the state by
 * construction, leases keeping their expiry and waiters their order.
 */
import { consume } from './bucket.ts';
import type { RateInfo } from './catalog.ts';
import type { LockTable } from './lock-table.ts';
import type { Reservation, ReservationEvent, WaitingRecord } from './types.ts';

const MAX_DEADLOCK_REPORTS = 50;

// Events and the state share their nested values (owner, targets, grants),
// which are never mutated after creation; only top-level fields change.
function waiting(record: WaitingRecord): Reservation {
  return { ...record, status: 'waiting' };
}

function enqueue(table: LockTable, record: WaitingRecord): void {
  const r = waiting(record);
  table.state.reservations[r.id] = r;
  table.state.seq = Math.max(table.state.seq, r.seq);
  table.addWaiting(r);
}

function drop(table: LockTable, id: string): Reservation | undefined {
  const r = table.state.reservations[id];
  if (!r) return undefined;
  if (r.status === 'held') table.removeHeld(r);
  else table.removeWaiting(r);
  delete table.state.reservations[id];
  return r;
}

function bumpId(table: LockTable, id: string): void {
  const m = /^rsv-(\d+)$/.exec(id);
  if (m) table.state.nextId = Math.max(table.state.nextId, Number(m[1]) + 1);
}

/** Applies one event; throws if the event does not fit the state (a corrupt stream). */
export function applyEvent(table: LockTable, event: ReservationEvent): void {
  const { state } = table;
  switch (event.type) {
    case 'reservation.queued':
      bumpId(table, event.reservation.id);
      enqueue(table, event.reservation);
      state.stats.queued++;
      return;
    case 'reservation.granted': {
      bumpId(table, event.reservation.id);
      drop(table, event.reservation.id);
      state.seq = Math.max(state.seq, event.reservation.seq);
      for (const g of event.grants) state.fences[g.resource] = g.fence;
      for (const t of event.reservation.targets) {
        if (t.kind !== 'rate') continue;
        const info = table.catalog.get(t.resource) as RateInfo;
        state.buckets[t.resource] = consume(info, state.buckets[t.resource], t.amount, event.at);
      }
      state.stats.granted++;
      // A grant of rate tokens alone is spent at once: nothing stays held.
      if (event.reservation.targets.every((t) => t.kind === 'rate')) return;
      const r: Reservation = {
        ...event.reservation,
        status: 'held',
        grantedAt: event.at,
        expiresAt: event.expiresAt,
        grants: event.grants,
      };
      delete r.requeued;
      delete r.keyFloor;
      state.reservations[r.id] = r;
      table.addHeld(r);
      return;
    }
    case 'reservation.refused':
      state.stats.refused++;
      return;
    case 'reservation.released':
      if (!drop(table, event.id)) throw new Error(`released: no reservation ${event.id}`);
      state.stats.released++;
      return;
    case 'reservation.renewed': {
      const r = state.reservations[event.id];
      if (r?.status !== 'held') throw new Error(`renewed: ${event.id} is not held`);
      r.expiresAt = event.expiresAt;
      r.checkpointAt = event.checkpointAt;
      return;
    }
    case 'reservation.expired':
      if (!drop(table, event.id)) throw new Error(`expired: no reservation ${event.id}`);
      state.stats.expired++;
      return;
    case 'reservation.preempted':
      drop(table, event.id);
      enqueue(table, event.requeue);
      state.stats.preempted++;
      return;
    case 'reservation.deadlock_resolved':
      for (const id of event.report.requeued) drop(table, id);
      for (const w of event.requeue) enqueue(table, w);
      state.deadlocks.push(event.report);
      if (state.deadlocks.length > MAX_DEADLOCK_REPORTS) state.deadlocks.shift();
      state.stats.deadlocksResolved++;
      return;
    case 'reservation.fence_rejected':
      state.stats.fenceRejected++;
      return;
  }
}
