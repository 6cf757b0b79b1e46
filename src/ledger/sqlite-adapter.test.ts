import assert from 'node:assert/strict';
import { DatabaseSync } from 'node:sqlite';
import { describe, it } from 'node:test';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { adaptNodeSqlite } from './sqlite-adapter.ts';

interface TestDb {
  t: { id: number; name: string; flag: number | null };
}

function open(): { raw: DatabaseSync; db: Kysely<TestDb> } {
  const raw = new DatabaseSync(':memory:');
  const db = new Kysely<TestDb>({ dialect: new SqliteDialect({ database: adaptNodeSqlite(raw) }) });
  return { raw, db };
}

describe('the node:sqlite adapter for Kysely', () => {
  it('runs DDL, inserts with affected rows and insert id, and selects rows', async () => {
    const { db } = open();
    await db.schema
      .createTable('t')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('name', 'text')
      .addColumn('flag', 'integer')
      .execute();
    const inserted = await db
      .insertInto('t')
      .values([
        { id: 1, name: 'a', flag: null },
        { id: 2, name: 'b', flag: 1 },
      ])
      .executeTakeFirst();
    assert.equal(inserted.numInsertedOrUpdatedRows, 2n);
    assert.equal(inserted.insertId, 2n);
    const updated = await db
      .updateTable('t')
      .set({ name: 'z' })
      .where('id', '>', 0)
      .executeTakeFirst();
    assert.equal(updated.numUpdatedRows, 2n);
    assert.deepEqual(await db.selectFrom('t').selectAll().orderBy('id').execute(), [
      { id: 1, name: 'z', flag: null },
      { id: 2, name: 'z', flag: 1 },
    ]);
    await db.destroy();
  });

  it('returns rows from INSERT … RETURNING and from PRAGMAs', async () => {
    const { db } = open();
    await sql`CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, flag INTEGER)`.execute(db);
    const row = await db
      .insertInto('t')
      .values({ id: 7, name: 'x', flag: null })
      .returning(['id', 'name'])
      .executeTakeFirst();
    assert.deepEqual(row, { id: 7, name: 'x' });
    const pragma = await sql<{ foreign_keys: number }>`PRAGMA foreign_keys`.execute(db);
    assert.equal(pragma.rows.length, 1);
    await db.destroy();
  });

  it('binds booleans as 0/1 and undefined as NULL, which node:sqlite alone rejects', async () => {
    const { db } = open();
    await sql`CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, flag INTEGER)`.execute(db);
    await sql`INSERT INTO t (id, name, flag) VALUES (${1}, ${undefined}, ${true})`.execute(db);
    assert.deepEqual(await db.selectFrom('t').selectAll().execute(), [
      { id: 1, name: null, flag: 1 },
    ]);
    await db.destroy();
  });

  it('reuses prepared statements without mixing up parameters, even around an open cursor', () => {
    const adapter = adaptNodeSqlite(new DatabaseSync(':memory:'));
    adapter.prepare('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)').run([]);
    for (let id = 1; id <= 5; id++)
      adapter.prepare('INSERT INTO t (id, name) VALUES (?, ?)').run([id, `n${id}`]);
    const query = 'SELECT name FROM t WHERE id > ? ORDER BY id';
    const streamed: unknown[] = [];
    for (const row of adapter.prepare(query).iterate([0])) {
      // The same SQL text runs again while the cursor is open.
      assert.deepEqual(adapter.prepare(query).all([3]), [{ name: 'n4' }, { name: 'n5' }]);
      streamed.push((row as { name: string }).name);
    }
    assert.deepEqual(streamed, ['n1', 'n2', 'n3', 'n4', 'n5']);
    assert.deepEqual(adapter.prepare(query).all([4]), [{ name: 'n5' }]);
    adapter.close();
  });

  it('closes the underlying database when Kysely is destroyed, and tolerates a second close', async () => {
    const { raw, db } = open();
    await sql`SELECT 1`.execute(db);
    await db.destroy();
    assert.equal(raw.isOpen, false);
    assert.doesNotThrow(() => adaptNodeSqlite(raw).close());
  });
});
