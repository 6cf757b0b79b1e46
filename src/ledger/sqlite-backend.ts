/**
 * The SQLite backend: Node's built-in `node:sqlite` through Kysely, in WAL mode.
 * Writers serialise across processes with `BEGIN IMMEDIATE` (the write lock is
 * taken before the head is read) and wait for each other up to the busy timeout.
 */
import { existsSync, mkdirSync, realpathSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { LedgerError } from '../core/index.ts';
import type { LedgerDb, StoreBackend } from './backend.ts';
import { Mutex } from './mutex.ts';
import type { LedgerDatabase } from './schema.ts';
import { adaptNodeSqlite } from './sqlite-adapter.ts';

// One queue per database file for the whole process. node:sqlite waits for a
// lock synchronously, blocking the event loop: if two handles on the same file
// in one process each ran a transaction, the second would block the very thread
// the first needs to finish, and fail after the busy timeout. Sharing the queue
// makes them take turns instead; other processes still meet SQLite's lock.
const fileQueues = new Map<string, Mutex>();

function mutexFor(file: string): Mutex {
  let mutex = fileQueues.get(file);
  if (!mutex) {
    mutex = new Mutex();
    fileQueues.set(file, mutex);
  }
  return mutex;
}

/** How long a writer waits for another process's write lock before failing. */
export const SQLITE_BUSY_TIMEOUT_MS = 15_000;

export interface SqliteBackendOptions {
  /** Create the file (and its folder) when missing; otherwise a missing file is an error. */
  create: boolean;
}

/** Opens (or creates) a SQLite ledger file with keel's pragmas. */
export function openSqliteBackend(path: string, options: SqliteBackendOptions): StoreBackend {
  if (!existsSync(path)) {
    if (!options.create) {
      throw new LedgerError(`no ledger at ${path}`, {
        hint: 'the ledger is created by the first command that records something (e.g. `keel submit`)',
      });
    }
    mkdirSync(dirname(path), { recursive: true });
  }
  let raw: DatabaseSync;
  try {
    raw = new DatabaseSync(path, {
      timeout: SQLITE_BUSY_TIMEOUT_MS,
      enableForeignKeyConstraints: true,
    });
    // busy_timeout comes first so that switching to WAL waits for a concurrent opener.
    raw.exec(`PRAGMA busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
    raw.exec('PRAGMA journal_mode = WAL');
    // FULL: a committed event survives power loss too, not only a crashed process.
    raw.exec('PRAGMA synchronous = FULL');
    raw.exec('PRAGMA foreign_keys = ON');
  } catch (error) {
    throw sqliteError(error, path, 'open');
  }
  const db: LedgerDb = new Kysely<LedgerDatabase>({
    dialect: new SqliteDialect({ database: adaptNodeSqlite(raw) }),
  });
  const turns = mutexFor(realpathSync(path));

  const inTransaction = async <T>(begin: string, fn: (db: LedgerDb) => Promise<T>): Promise<T> =>
    turns.run(() =>
      db.connection().execute(async (conn) => {
        try {
          await sql.raw(begin).execute(conn);
        } catch (error) {
          throw sqliteError(error, path, 'lock');
        }
        try {
          const result = await fn(conn);
          await sql.raw('COMMIT').execute(conn);
          return result;
        } catch (error) {
          if (raw.isTransaction) await sql.raw('ROLLBACK').execute(conn);
          throw sqliteError(error, path, 'write');
        }
      }),
    );

  return {
    dialect: 'sqlite',
    location: path,
    write: (fn) => inTransaction('BEGIN IMMEDIATE', fn),
    read: (fn) => turns.run(() => fn(db)),
    // A deferred transaction pins one WAL snapshot at its first read.
    snapshot: (fn) => inTransaction('BEGIN', fn),
    close: () => turns.run(() => db.destroy()),
  };
}

// Maps driver errors to LedgerErrors people can act on; keel's own errors pass through.
function sqliteError(error: unknown, path: string, during: 'open' | 'lock' | 'write'): unknown {
  if (!(error instanceof Error) || !('errcode' in error)) return error;
  const message = error.message;
  if (/database is locked|SQLITE_BUSY/i.test(message)) {
    return new LedgerError(
      `the ledger at ${path} stayed locked by another writer for ${SQLITE_BUSY_TIMEOUT_MS / 1000}s`,
      {
        hint: 'another keel process is writing; retry when it has finished',
        retryable: true,
        cause: error,
      },
    );
  }
  if (/not a database|malformed/i.test(message)) {
    return new LedgerError(`${path} is not a usable SQLite ledger (${message})`, {
      hint: 'check KEEL_LEDGER_PATH, or restore the ledger from a backup',
      cause: error,
    });
  }
  return new LedgerError(`ledger ${during} failed at ${path}: ${message}`, { cause: error });
}
