/**
 * The PostgreSQL backend (team mode): Kysely's PostgresDialect over a `pg` pool,
 * in a schema of its own. Writers serialise with a transaction-level advisory
 * lock keyed by the schema, taken before the head is read; it works even if the
 * head row were missing, unlike a row lock.
 */
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { InvalidInputError, isKeelError, LedgerError } from '../core/index.ts';
import type { LedgerDb, StoreBackend } from './backend.ts';
import type { LedgerDatabase } from './schema.ts';

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export interface PostgresBackendOptions {
  url: string;
  /** The schema that holds keel's tables. */
  schema: string;
  /** Create the schema when missing; otherwise a missing ledger is an error. */
  create: boolean;
}

/** Connects to PostgreSQL and makes sure the ledger's schema exists. */
export async function openPostgresBackend(options: PostgresBackendOptions): Promise<StoreBackend> {
  const { url, schema } = options;
  if (!SCHEMA_NAME.test(schema)) {
    throw new InvalidInputError(
      `PostgreSQL schema name ${JSON.stringify(schema)} is not a plain identifier`,
      {
        hint: 'use lowercase letters, digits and _ (e.g. `keel`)',
      },
    );
  }
  const location = `${redactUrl(url)} (schema ${schema})`;
  const pool = new pg.Pool({ connectionString: url, max: 4, options: `-c search_path=${schema}` });
  // An idle client losing its connection must not crash the process; the next query reports it.
  pool.on('error', () => {});
  const db: LedgerDb = new Kysely<LedgerDatabase>({ dialect: new PostgresDialect({ pool }) });
  const lockKey = `keel.ledger:${schema}`;
  // READ COMMITTED (the default) matters: each statement after the lock takes a
  // fresh snapshot and sees every earlier writer's commit. Under REPEATABLE READ
  // the snapshot would date from before the lock wait, and the head would be stale.
  const locked = <T>(fn: (db: LedgerDb) => Promise<T>): Promise<T> =>
    db.transaction().execute(async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(hashtext(${lockKey}))`.execute(trx);
      return fn(trx);
    });

  try {
    if (options.create) {
      // `CREATE SCHEMA IF NOT EXISTS` can still fail when two sessions race, so it runs under the lock.
      await locked((trx) => sql`CREATE SCHEMA IF NOT EXISTS ${sql.id(schema)}`.execute(trx));
    } else {
      const found = await sql<{ found: number }>`SELECT 1 AS found FROM information_schema.tables
        WHERE table_schema = ${schema} AND table_name = 'ledger_events'`.execute(db);
      if (found.rows.length === 0) {
        throw new LedgerError(`no ledger at ${location}`, {
          hint: 'the ledger is created by the first command that records something (e.g. `keel submit`)',
        });
      }
    }
  } catch (error) {
    await db.destroy();
    throw postgresError(error, location);
  }

  const wrap = async <T>(work: Promise<T>): Promise<T> => {
    try {
      return await work;
    } catch (error) {
      throw postgresError(error, location);
    }
  };
  return {
    dialect: 'postgres',
    location,
    write: (fn) => wrap(locked(fn)),
    read: (fn) => wrap(fn(db)),
    snapshot: (fn) =>
      wrap(
        db
          .transaction()
          .setIsolationLevel('repeatable read')
          .setAccessMode('read only')
          .execute(fn),
      ),
    close: () => db.destroy(),
  };
}

/** A connection URL with its password replaced, fit for messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres://(unparseable URL)';
  }
}

function postgresError(error: unknown, location: string): unknown {
  if (!(error instanceof Error) || isKeelError(error)) return error;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && /^(ECONNREFUSED|ENOTFOUND|28|3D)/.test(code)) {
    return new LedgerError(`cannot reach the PostgreSQL ledger at ${location}: ${error.message}`, {
      hint: 'check the database URL, that the server runs and that the database exists',
      retryable: code.startsWith('ECONN'),
      cause: error,
    });
  }
  if (typeof code === 'string' && code.length === 5) {
    return new LedgerError(`PostgreSQL ledger error at ${location}: ${error.message} (${code})`, {
      cause: error,
    });
  }
  return error;
}
