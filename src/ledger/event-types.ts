/**
 * Event types: dotted lowercase names (`work_item.submitted`). The ledger stores
 * any type of that shape; the catalog lists the types keel's own domains write,
 * with `budget.*` and `reservation.*` standing for whole families.
 */

/** The shape every event type must have. */
export const EVENT_TYPE_PATTERN = /^[a-z_]+(\.[a-z_]+)+$/;

/** The catalog of event types keel's domains write (documented in docs/ledger.md). */
export const EVENT_TYPES = [
  'work_item.submitted',
  'work_item.planned',
  'pass.ready',
  'attempt.started',
  'attempt.finished',
  'model_call.recorded',
  'artifact.written',
  'gate.decided',
  'approval.requested',
  'approval.decided',
  'wait.started',
  'wait.ended',
  'pass.completed',
  'work_item.completed',
  'work_item.merged',
] as const;
export type KnownEventType = (typeof EVENT_TYPES)[number];

/** Families of event types whose members the owning domain names (`budget.reserved`…). */
export const EVENT_TYPE_FAMILIES = ['budget', 'reservation'] as const;

/** Outcomes an `attempt.finished` event records. */
export const ATTEMPT_OUTCOMES = ['succeeded', 'failed', 'interrupted'] as const;
export type AttemptOutcome = (typeof ATTEMPT_OUTCOMES)[number];

/** True when `type` has the dotted lowercase shape the ledger accepts. */
export function isValidEventType(type: string): boolean {
  return EVENT_TYPE_PATTERN.test(type);
}

/**
 * A type filter for reads: either an exact type or a family `prefix.*`
 * (`budget.*` matches `budget.reserved` and `budget.exceeded.hard`).
 */
export const TYPE_FILTER_PATTERN = /^[a-z_]+(\.[a-z_]+)*(\.\*)?$/;
