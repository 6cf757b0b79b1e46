/**
 * The versioned schema. Each migration runs once, in order, inside the same
 * serialised transaction that records the new version, so two processes opening
 * a fresh ledger at once cannot both apply it. Never edit a released migration:
 * add the next one.
 */
import { type Kysely, sql } from 'kysely';
import { LedgerError } from '../core/index.ts';
import { GENESIS_HASH } from './hash-chain.ts';
import type { LedgerDatabase } from './schema.ts';
import type { LedgerDialect } from './types.ts';

export interface Migration {
  version: number;
  description: string;
  up(db: Kysely<LedgerDatabase>, dialect: LedgerDialect): Promise<void>;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'events table, head anchor',
    async up(db, dialect) {
      // INTEGER PRIMARY KEY makes seq SQLite's rowid: no separate index to maintain.
      const seqType = dialect === 'sqlite' ? 'integer' : 'bigint';
      await db.schema
        .createTable('ledger_events')
        .addColumn('seq', seqType, (c) => c.primaryKey())
        .addColumn('id', 'text', (c) => c.notNull().unique())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('work_item_id', 'text')
        .addColumn('data', 'text', (c) => c.notNull())
        .addColumn('idempotency_key', 'text', (c) => c.unique())
        .addColumn('prev_hash', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('ledger_events_work_item')
        .on('ledger_events')
        .columns(['work_item_id', 'seq'])
        .execute();
      await db.schema
        .createIndex('ledger_events_type')
        .on('ledger_events')
        .columns(['type', 'seq'])
        .execute();
      await db.schema
        .createTable('ledger_head')
        .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
        .addColumn('seq', seqType, (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .execute();
      await db.insertInto('ledger_head').values({ id: 1, seq: 0, hash: GENESIS_HASH }).execute();
    },
  },
];

/** The schema version this keel writes and reads. */
export const SCHEMA_VERSION = MIGRATIONS.at(-1)?.version ?? 0;

export interface MigrationResult {
  from: number;
  to: number;
  applied: number[];
}

/**
 * Brings the schema up to date. Must run inside a transaction that already holds
 * the ledger's write lock. Refuses a database written by a newer keel.
 */
export async function migrate(
  db: Kysely<LedgerDatabase>,
  dialect: LedgerDialect,
  location: string,
): Promise<MigrationResult> {
  await db.schema
    .createTable('ledger_schema')
    .ifNotExists()
    .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  const row = await db
    .selectFrom('ledger_schema')
    .select('version')
    .where('id', '=', 1)
    .executeTakeFirst();
  const from = row ? Number(row.version) : 0;
  if (from > SCHEMA_VERSION) {
    throw new LedgerError(
      `the ledger at ${location} has schema version ${from}, newer than this keel understands (${SCHEMA_VERSION})`,
      {
        hint: 'upgrade keel to the version that wrote this ledger; opening it with an older one could corrupt it',
      },
    );
  }
  const applied: number[] = [];
  for (const migration of MIGRATIONS) {
    if (migration.version <= from) continue;
    await migration.up(db, dialect);
    applied.push(migration.version);
  }
  if (applied.length > 0) {
    const updatedAt = new Date().toISOString();
    if (row) {
      await db
        .updateTable('ledger_schema')
        .set({ version: SCHEMA_VERSION, updated_at: updatedAt })
        .where('id', '=', 1)
        .execute();
    } else {
      await db
        .insertInto('ledger_schema')
        .values({ id: 1, version: SCHEMA_VERSION, updated_at: updatedAt })
        .execute();
    }
  }
  return { from, to: Math.max(from, SCHEMA_VERSION), applied };
}
