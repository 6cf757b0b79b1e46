/**
 * The ledger's tables as Kysely sees them. Column names are snake_case in the
 * database and mapped to the camelCase envelope by the store.
 */
import type { ColumnType } from 'kysely';

/** PostgreSQL returns BIGINT as a string; SQLite returns a number. */
type SeqColumn = ColumnType<number | string, number, number>;

export interface LedgerEventsTable {
  seq: SeqColumn;
  id: string;
  type: string;
  at: string;
  actor: string;
  work_item_id: string | null;
  /** Canonical JSON text: stored verbatim so hashes are stable across dialects. */
  data: string;
  idempotency_key: string | null;
  prev_hash: string;
  hash: string;
}

/** One row (id 1): the last seq and hash, updated in the same transaction as each append. */
export interface LedgerHeadTable {
  id: number;
  seq: SeqColumn;
  hash: string;
}

/** One row (id 1): the schema version applied to this database. */
export interface LedgerSchemaTable {
  id: number;
  version: number;
  updated_at: string;
}

export interface LedgerDatabase {
  ledger_events: LedgerEventsTable;
  ledger_head: LedgerHeadTable;
  ledger_schema: LedgerSchemaTable;
}
