/** Public surface of the scheduling domain: the reservation manager and the scheduler's core. */
export * from './reservations/index.ts';
export * from './scheduler/index.ts';
export * from './persisted/index.ts';
