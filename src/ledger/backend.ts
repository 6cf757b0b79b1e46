/**
 * What the ledger store needs from a database, whatever the dialect: a Kysely
 * instance and three ways to run work on it. Each dialect file provides one.
 */
import type { Kysely } from 'kysely';
import type { LedgerDatabase } from './schema.ts';
import type { LedgerDialect } from './types.ts';

export type LedgerDb = Kysely<LedgerDatabase>;

export interface StoreBackend {
  readonly dialect: LedgerDialect;
  readonly location: string;
  /**
   * Runs `fn` in a transaction that holds the ledger's write lock, exclusive
   * across processes, and commits when `fn` resolves (rolls back when it throws).
   */
  write<T>(fn: (db: LedgerDb) => Promise<T>): Promise<T>;
  /** Runs plain reads. */
  read<T>(fn: (db: LedgerDb) => Promise<T>): Promise<T>;
  /** Runs reads that must all see one consistent state (verify). */
  snapshot<T>(fn: (db: LedgerDb) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
