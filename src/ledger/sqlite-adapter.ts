/**
 * Adapts Node's built-in `node:sqlite` (`DatabaseSync`) to the better-sqlite3
 * shaped object Kysely's `SqliteDialect` expects, so keel needs no native addon.
 */
import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

// Kysely sends the same SQL text for the same query shape; reusing the prepared
// statement skips SQLite's parser and planner. Bounded, least recently used out.
const CACHE_SIZE = 64;

/** Wraps a `DatabaseSync` for Kysely's `SqliteDialect`. */
export function adaptNodeSqlite(db: DatabaseSync): SqliteDatabase {
  const cache = new Map<string, StatementSync>();
  const prepare = (sql: string): StatementSync => {
    const cached = cache.get(sql);
    if (cached) {
      cache.delete(sql);
      cache.set(sql, cached);
      return cached;
    }
    const stmt = db.prepare(sql);
    cache.set(sql, stmt);
    if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value as string);
    return stmt;
  };
  return {
    close: () => {
      cache.clear();
      if (db.isOpen) db.close();
    },
    // Statements run to completion synchronously, so sharing one is safe, except
    // for `iterate`, whose lazy cursor must not be reset by another use.
    prepare: (sql) => adaptStatement(prepare(sql), () => db.prepare(sql)),
  };
}

function adaptStatement(stmt: StatementSync, fresh: () => StatementSync): SqliteStatement {
  return {
    // better-sqlite3's `reader` is true when the statement returns rows (SELECT,
    // RETURNING, most PRAGMAs); node:sqlite reports the same through its columns.
    reader: stmt.columns().length > 0,
    // node:sqlite rows have a null prototype; better-sqlite3's (and Kysely users') are plain objects.
    all: (parameters) => stmt.all(...toInputs(parameters)).map((row) => ({ ...row })),
    run: (parameters) => {
      const { changes, lastInsertRowid } = stmt.run(...toInputs(parameters));
      return { changes, lastInsertRowid };
    },
    iterate: (parameters) => plainRows(fresh().iterate(...toInputs(parameters))),
  };
}

// node:sqlite binds null, numbers, bigints, strings and bytes; it rejects booleans
// and undefined, which better-sqlite3 callers sometimes pass.
function toInputs(parameters: readonly unknown[]): SQLInputValue[] {
  return parameters.map((p) => {
    if (p === undefined) return null;
    if (typeof p === 'boolean') return p ? 1 : 0;
    return p as SQLInputValue;
  });
}

function* plainRows(rows: Iterable<Record<string, unknown>>): IterableIterator<unknown> {
  for (const row of rows) yield { ...row };
}
