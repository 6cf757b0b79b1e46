/**
 * The ledger's test harness: one behaviour suite, every dialect. SQLite always
 * runs; PostgreSQL runs when KEEL_TEST_POSTGRES_URL is set. Each test gets its
 * own database (a fresh SQLite file, or a fresh PostgreSQL schema) and a raw SQL
 * handle on it for tampering the way an attacker with database access would.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import pg from 'pg';
import {
  type LedgerConfig,
  type LedgerStore,
  type OpenLedgerOptions,
  openLedger,
} from '../../src/ledger/index.ts';

export const POSTGRES_URL = process.env.KEEL_TEST_POSTGRES_URL;
export const POSTGRES_SKIP = 'KEEL_TEST_POSTGRES_URL not set: PostgreSQL ledger tests skipped';

/** One test's private database. */
export interface TestDatabase {
  config: LedgerConfig;
  /** Opens a store on it (tests may open several, as separate processes would). */
  open(options?: OpenLedgerOptions): Promise<LedgerStore>;
  /** Runs raw SQL on the ledger's tables, bypassing keel; `?` placeholders. */
  sql(
    text: string,
    params?: readonly (string | number | null)[],
  ): Promise<Record<string, unknown>[]>;
  dispose(): Promise<void>;
}

export interface DialectUnderTest {
  name: 'sqlite' | 'postgres';
  /** Set when the dialect cannot run here; tests call `t.skip(skip)`. */
  skip?: string;
  create(): Promise<TestDatabase>;
}

let counter = 0;

const sqlite: DialectUnderTest = {
  name: 'sqlite',
  async create() {
    const dir = mkdtempSync(join(tmpdir(), 'keel-ledger-'));
    const config: LedgerConfig = { kind: 'sqlite', path: join(dir, 'state', 'ledger.db') };
    const stores: LedgerStore[] = [];
    return {
      config,
      async open(options) {
        const store = await openLedger(config, options);
        stores.push(store);
        return store;
      },
      async sql(text, params = []) {
        const db = new DatabaseSync(config.path, { timeout: 5000 });
        try {
          const stmt = db.prepare(text);
          if (stmt.columns().length > 0) return stmt.all(...params) as Record<string, unknown>[];
          stmt.run(...params);
          return [];
        } finally {
          db.close();
        }
      },
      async dispose() {
        for (const store of stores) await store.close().catch(() => {});
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

const postgres: DialectUnderTest = {
  name: 'postgres',
  ...(POSTGRES_URL ? {} : { skip: POSTGRES_SKIP }),
  async create() {
    const url = POSTGRES_URL ?? '';
    const schema = `keel_test_${process.pid}_${Date.now()}_${counter++}`;
    const config: LedgerConfig = { kind: 'postgres', url, schema };
    const stores: LedgerStore[] = [];
    const client = new pg.Client({ connectionString: url, options: `-c search_path=${schema}` });
    await client.connect();
    return {
      config,
      async open(options) {
        const store = await openLedger(config, options);
        stores.push(store);
        return store;
      },
      async sql(text, params = []) {
        let i = 0;
        const numbered = text.replace(/\?/g, () => `$${++i}`);
        const result = await client.query(numbered, [...params]);
        return result.rows as Record<string, unknown>[];
      },
      async dispose() {
        for (const store of stores) await store.close().catch(() => {});
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await client.end();
      },
    };
  },
};

/** Every dialect the suite runs on. */
export const DIALECTS: readonly DialectUnderTest[] = [sqlite, postgres];

/** A ready-made event for tests. */
export function event(type = 'work_item.submitted', extra: Record<string, unknown> = {}) {
  return { type, actor: 'test', workItemId: 'WI-1', data: { n: counter++, ...extra } };
}

/** Creates a database for one test and disposes it after; returns undefined (after skipping) when the dialect cannot run. */
export async function databaseFor(
  dialect: DialectUnderTest,
  t: { skip(message?: string): void; after(fn: () => Promise<void>): void },
): Promise<TestDatabase | undefined> {
  if (dialect.skip) {
    t.skip(dialect.skip);
    return undefined;
  }
  const db = await dialect.create();
  t.after(() => db.dispose());
  return db;
}
