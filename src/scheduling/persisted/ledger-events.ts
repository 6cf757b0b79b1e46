/**
 * How a reservation event travels through the ledger: the manager's event
 * becomes the ledger event's `data` (with its type as the ledger type), and
 * reads turn ledger events back into manager events for replay.
 */
import type { LedgerEvent, NewEvent } from '../../ledger/index.ts';
import type { ReservationEvent } from '../reservations/index.ts';

/** The ledger family every reservation event belongs to. */
export const RESERVATION_FAMILY = 'reservation.*';

/** The ledger event recording one manager event; `workItem` attributes it (shown by `keel show`). */
export function toLedgerEvent(
  event: ReservationEvent,
  workItem: string | null,
  actor: string,
): NewEvent {
  const { type, ...data } = event;
  return {
    type,
    actor,
    workItemId: workItem,
    at: new Date(event.at).toISOString(),
    data: data as Record<string, unknown>,
  };
}

/** The manager event a ledger event recorded. */
export function fromLedgerEvent(event: LedgerEvent): ReservationEvent {
  return { ...(event.data as object), type: event.type } as ReservationEvent;
}

/** The work item an event is about, when the event names its owner. */
export function ownerItemOf(event: ReservationEvent): string | undefined {
  switch (event.type) {
    case 'reservation.queued':
    case 'reservation.granted':
      return event.reservation.owner.workItem;
    case 'reservation.refused':
      return event.owner.workItem;
    case 'reservation.preempted':
      return event.requeue.owner.workItem;
    default:
      return undefined;
  }
}
