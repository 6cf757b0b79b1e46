/**
 * Budgets in the ledger: definitions from keel.yaml and `budget.set`, and the
 * service that reserves a dispatch's estimate against every enclosing budget
 * inside one ledger transaction, settles the actual cost, releases what a
 * crash left, and records notices and waits. Decisions come from src/cost.
 */
export * from './budget-book.ts';
export * from './budget-definitions.ts';
export * from './budget-events.ts';
export * from './budget-service.ts';
export * from './budget-status.ts';
export * from './call-records.ts';
export * from './dispatch-budgets.ts';
export * from './forecast-history.ts';
export * from './forecast-policy.ts';
export * from './notify.ts';
export * from './pass-outcomes.ts';
