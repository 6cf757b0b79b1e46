/** Public surface of the persisted scheduling layer: reservations in the ledger. */

export {
  DEFAULT_POOL_ID,
  flattenResources,
  poolsFor,
  reservationConfigFor,
} from './from-definitions.ts';
export { fromLedgerEvent, RESERVATION_FAMILY, toLedgerEvent } from './ledger-events.ts';
export {
  type Decided,
  LedgerReservations,
  type LedgerReservationsOptions,
  ReservationReplayError,
} from './ledger-reservations.ts';
export {
  type Admission,
  type PassCandidate,
  PassDispatcher,
  type PassDispatcherOptions,
  passRunId,
} from './pass-dispatcher.ts';
export {
  type EndedWaitEntry,
  QUEUE_EVENT_TYPES,
  type QueueView,
  queueFromEvents,
  type ReadyEntry,
  type RunningEntry,
  type WaitingEntry,
} from './queue-view.ts';
