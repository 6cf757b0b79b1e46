/**
 * Adapts Node's built-in `node:sqlite` (`DatabaseSync`) to the better-sqlite3
 * shaped object Kysely's `SqliteDialect` expects, so keel needs no native addon.
 */
import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/** Wraps a `DatabaseSync` for Kysely's `SqliteDialect`. */
export function adaptNodeSqlite(db: DatabaseSync): SqliteDatabase {
  return {
    close: () => {
      if (db.isOpen) db.close();
    },
    prepare: (sql) => adaptStatement(db.prepare(sql)),
  };
}

function adaptStatement(stmt: StatementSync): SqliteStatement {
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
    iterate: (parameters) => plainRows(stmt.iterate(...toInputs(parameters))),
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
