/**
 * The ledger half of `keel report`: flow and economics from keel's own ledger
 * (what ran, what it cost, where it waited, what shipped), joined with the git
 * analysis, as pure functions of the events; one adapter reads the payloads.
 */
export { LEDGER_DEFINITIONS, LEDGER_FIGURE_IDS, type LedgerFigureId } from './definitions.ts';
export {
  type FiveNumber,
  fiveNumbers,
  type TargetValues,
  trendOf,
  type WeeklyNumbers,
} from './five-numbers.ts';
export { type GitJoinInput, landedAt, reworkStatus, workItemIndex } from './git-join.ts';
export type { CostPer, CostRow, GroupFigures, RoleModelRow } from './group-figures.ts';
export { type ItemFigures, itemFigures, type ReworkStatus, unionLength } from './item-figures.ts';
export {
  computeLedgerFigures,
  type LedgerFigures,
  type LedgerInput,
  reworkRate,
  weekStartOf,
} from './ledger-figures.ts';
export {
  collectItems,
  type ItemFacts,
  type RawEvent,
  READ_TYPES,
  readLedgerEvents,
  WAIT_REASONS,
  type WaitReason,
} from './read-events.ts';
