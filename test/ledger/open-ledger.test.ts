/**
 * Opening ledgers: the SQLite file's location and settings, and clear errors for
 * a missing ledger, a file that is not a database, and an unreachable server.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, describe, it } from 'node:test';
import { InvalidInputError, LedgerError } from '../../src/core/index.ts';
import { defaultLedgerPath, openLedger, openRepoLedger } from '../../src/ledger/index.ts';

describe('opening a ledger', () => {
  const root = mkdtempSync(join(tmpdir(), 'keel-open-'));
  after(() => rmSync(root, { recursive: true, force: true }));

  it('puts the SQLite ledger at .keel/state/ledger.db unless KEEL_LEDGER_PATH says otherwise', () => {
    assert.equal(defaultLedgerPath('/repo', {}), '/repo/.keel/state/ledger.db');
    assert.equal(defaultLedgerPath('/repo', { KEEL_LEDGER_PATH: 'var/l.db' }), '/repo/var/l.db');
    assert.equal(defaultLedgerPath('/repo', { KEEL_LEDGER_PATH: '/abs/l.db' }), '/abs/l.db');
  });

  it('creates the file and its folder on first use, in WAL mode', async () => {
    const repo = join(root, 'fresh');
    const ledger = await openRepoLedger(repo, { env: {} });
    await ledger.append([{ type: 'work_item.submitted', actor: 'test' }]);
    await ledger.close();
    const raw = new DatabaseSync(join(repo, '.keel', 'state', 'ledger.db'));
    try {
      assert.deepEqual({ ...raw.prepare('PRAGMA journal_mode').get() }, { journal_mode: 'wal' });
      assert.equal(raw.prepare('SELECT count(*) AS n FROM ledger_events').get()?.n, 1);
    } finally {
      raw.close();
    }
  });

  it('refuses to create a ledger when asked only to open one', async () => {
    const repo = join(root, 'none');
    await assert.rejects(
      openRepoLedger(repo, { create: false, env: {} }),
      (error: unknown) =>
        error instanceof LedgerError &&
        error.message === `no ledger at ${join(repo, '.keel', 'state', 'ledger.db')}`,
    );
  });

  it('says so when the ledger file is not a SQLite database', async () => {
    const path = join(root, 'junk.db');
    writeFileSync(
      path,
      'this is not a database, just text that is long enough to have a header'.repeat(20),
    );
    await assert.rejects(
      openLedger({ kind: 'sqlite', path }),
      (error: unknown) =>
        error instanceof LedgerError &&
        error.message.startsWith(`${path} is not a usable SQLite ledger`),
    );
  });

  it('names an unreachable PostgreSQL server without its password', async () => {
    await assert.rejects(
      openLedger({ kind: 'postgres', url: 'postgres://keel:s3cret@127.0.0.1:1/keel' }),
      (error: unknown) =>
        error instanceof LedgerError &&
        error.message.includes(
          'cannot reach the PostgreSQL ledger at postgres://keel:***@127.0.0.1:1/keel',
        ) &&
        !error.message.includes('s3cret'),
    );
  });

  it('refuses to create a PostgreSQL ledger when asked only to open one', async (t) => {
    const url = process.env.KEEL_TEST_POSTGRES_URL;
    if (!url) {
      t.skip('KEEL_TEST_POSTGRES_URL not set: PostgreSQL ledger tests skipped');
      return;
    }
    const schema = `keel_test_absent_${process.pid}`;
    await assert.rejects(
      openLedger({ kind: 'postgres', url, schema }, { create: false }),
      (error: unknown) =>
        error instanceof LedgerError &&
        /^no ledger at postgres:.*\(schema keel_test_absent_/.test(error.message),
    );
  });

  it('rejects a PostgreSQL schema name that is not a plain identifier', async () => {
    await assert.rejects(
      openLedger({
        kind: 'postgres',
        url: 'postgres://127.0.0.1:1/x',
        schema: 'keel; drop table x',
      }),
      (error: unknown) =>
        error instanceof InvalidInputError &&
        /schema name "keel; drop table x"/.test(error.message),
    );
  });
});
