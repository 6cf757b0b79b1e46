/** Public surface of the scheduler core. */
export { decide } from './decide.ts';
export { reservationCheck, reservationRequestFor } from './reservation-check.ts';
export { Scheduler } from './scheduler.ts';
export * from './types.ts';
