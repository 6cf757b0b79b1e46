/** Public surface of the reservation manager. */
export { ReservationConfigError } from './errors.ts';
export { agedPriority, agingKey, ownerKey } from './lock-table.ts';
export { ReservationManager } from './manager.ts';
export { compatible, intentionFor, isLockMode, LOCK_MODES, type LockMode } from './modes.ts';
export type {
  Blocker,
  FenceCheck,
  ProbeOutcome,
  ReleaseOutcome,
  RenewOutcome,
  RequestOutcome,
  TickReport,
  Transition,
} from './outcomes.ts';
export * from './types.ts';
export {
  type HolderView,
  inheritedPriorities,
  type ReservationView,
  reservationView,
  type WaiterView,
} from './view.ts';
export { findDeadlocks, stronglyConnected, type WaitNode } from './wait-for-graph.ts';
