/**
 * The ledger: keel's append-only, hash-chained record of everything it does.
 * Open one with `openLedger` / `openRepoLedger`, then append, read and verify
 * through the `LedgerStore` boundary, whatever database is behind it.
 */
export type { JsonValue } from './canonical-json.ts';
export { canonicalJson } from './canonical-json.ts';
export {
  ATTEMPT_OUTCOMES,
  type AttemptOutcome,
  EVENT_TYPE_FAMILIES,
  EVENT_TYPE_PATTERN,
  EVENT_TYPES,
  isValidEventType,
  type KnownEventType,
} from './event-types.ts';
export { computeEventHash, GENESIS_HASH } from './hash-chain.ts';
export { SCHEMA_VERSION } from './migrations.ts';
export {
  DEFAULT_POSTGRES_SCHEMA,
  defaultLedgerPath,
  type LedgerConfig,
  type OpenLedgerOptions,
  openLedger,
  openRepoLedger,
} from './open-ledger.ts';
export { REDACTED, redactValue, secretEnvValues } from './redact.ts';
export type {
  ChainBreak,
  LedgerDialect,
  LedgerEvent,
  LedgerHead,
  LedgerReader,
  LedgerStore,
  LedgerTransaction,
  NewEvent,
  ReadQuery,
  TamperProblem,
  VerifyResult,
} from './types.ts';
export { TAMPER_PROBLEMS } from './types.ts';
