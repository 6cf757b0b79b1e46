/** Public surface of the scheduling domain: the reservation manager, the scheduler's core, and their ledger-persisted layer. */
export * from './persisted/index.ts';
export * from './reservations/index.ts';
export * from './scheduler/index.ts';
