/**
 * Work items: the unit of work keel drives through a workflow. Submitting
 * records and plans one; every view of it is projected from its ledger events.
 */
export type {
  PlannedGate,
  PlannedPassRecord,
  RecordedEvent,
  WorkItemPlanned,
  WorkItemSubmitted,
} from './events.ts';
export { WORK_ITEM_PLANNED, WORK_ITEM_SUBMITTED } from './events.ts';
export { normalizeWorkItemId, planSubmission, workItemId } from './plan.ts';
export {
  type PassState,
  type PassView,
  projectWorkItem,
  projectWorkItems,
  type TimelineEntry,
  WORK_ITEM_STATUSES,
  type WorkItemStatus,
  type WorkItemView,
} from './projection.ts';
export type { GateResultView } from './run-progress.ts';
export {
  getWorkItem,
  type ListFilter,
  listWorkItems,
  type PreparedSubmission,
  prepareSubmission,
  recordSubmission,
  type SubmitOptions,
  submitWorkItem,
} from './service.ts';
export { MAX_BODY_BYTES, parseSubmission, type SubmissionInput } from './submission.ts';
