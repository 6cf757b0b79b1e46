/**
 * `keel audit verify`, run as a user would: the real executable in a temporary
 * repository, with tampering done by the real `sqlite3` shell.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { type LedgerEvent, openLedger } from '../../src/ledger/index.ts';
import { makeTempRepo, parseJson, runKeel, type TempRepo } from '../helpers/cli.ts';

const SQLITE3 = '/usr/bin/sqlite3';

async function seedLedger(path: string): Promise<LedgerEvent[]> {
  const ledger = await openLedger({ kind: 'sqlite', path });
  const events = await ledger.append([
    {
      type: 'work_item.submitted',
      actor: 'user:ann',
      workItemId: 'WI-1',
      data: { title: 'Fix login' },
    },
    { type: 'work_item.planned', actor: 'keel', workItemId: 'WI-1', data: { passes: 3 } },
    { type: 'pass.ready', actor: 'keel', workItemId: 'WI-1', data: { pass: 'spec' } },
  ]);
  await ledger.close();
  return events;
}

describe('keel audit verify', () => {
  let repo: TempRepo;
  let events: LedgerEvent[];
  const ledgerPath = () => join(repo.dir, '.keel', 'state', 'ledger.db');

  before(async () => {
    repo = makeTempRepo();
  });
  after(() => repo.dispose());

  it('fails with a clear message and exit 1 when the repository has no ledger, creating nothing', async () => {
    const result = await runKeel(['audit', 'verify'], { cwd: repo.dir });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /error: no ledger at .*\.keel\/state\/ledger\.db/);
    assert.equal(existsSync(ledgerPath()), false);
  });

  it('confirms an intact ledger with its event count and head hash, exit 0', async () => {
    events = await seedLedger(ledgerPath());
    const result = await runKeel(['audit', 'verify'], { cwd: repo.dir });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout.trim(), `ledger verified: 3 events, head ${events[2]?.hash}`);
  });

  it('prints the documented JSON shape with --json', async () => {
    const result = await runKeel(['audit', 'verify', '--json'], { cwd: repo.dir });
    assert.equal(result.code, 0);
    assert.deepEqual(parseJson(result), {
      ledger: ledgerPath(),
      ok: true,
      checked: 3,
      head: { seq: 3, hash: events[2]?.hash },
    });
  });

  it('acts on the repository named by -C and on KEEL_LEDGER_PATH', async () => {
    const other = makeTempRepo();
    try {
      const viaDir = await runKeel(['-C', repo.dir, 'audit', 'verify'], { cwd: other.dir });
      assert.equal(viaDir.code, 0, viaDir.stderr);
      mkdirSync(join(other.dir, 'custom'));
      await seedLedger(join(other.dir, 'custom', 'l.db'));
      const viaEnv = await runKeel(['audit', 'verify'], {
        cwd: other.dir,
        env: { KEEL_LEDGER_PATH: 'custom/l.db' },
      });
      assert.equal(viaEnv.code, 0, viaEnv.stderr);
      assert.match(viaEnv.stdout, /ledger verified: 3 events/);
    } finally {
      other.dispose();
    }
  });

  it('names the event edited with the sqlite3 shell and exits 1', async (t) => {
    if (!existsSync(SQLITE3)) {
      t.skip(`${SQLITE3} not found: tampering with the sqlite3 shell skipped`);
      return;
    }
    execFileSync(SQLITE3, [
      ledgerPath(),
      'UPDATE ledger_events SET data = \'{"passes":1}\' WHERE seq = 2;',
    ]);
    const result = await runKeel(['audit', 'verify'], { cwd: repo.dir });
    assert.equal(result.code, 1);
    assert.match(result.stdout, /ledger verification failed/);
    assert.match(
      result.stdout,
      new RegExp(`first bad event: seq 2 \\(work_item\\.planned ${events[1]?.id}\\): edited`),
    );
    assert.match(result.stdout, /1 events before it verified intact/);

    const json = await runKeel(['audit', 'verify', '--json'], { cwd: repo.dir });
    assert.equal(json.code, 1);
    const body = parseJson<{ ok: boolean; firstBad: { seq: number; problem: string; id: string } }>(
      json,
    );
    assert.equal(body.ok, false);
    assert.deepEqual(
      [body.firstBad.seq, body.firstBad.problem, body.firstBad.id],
      [2, 'edited', events[1]?.id],
    );
  });

  it("verifies the ledger keel.yaml's store names, from anywhere inside the project", async () => {
    const project = makeTempRepo();
    try {
      const init = await runKeel(['init'], { cwd: project.dir });
      assert.equal(init.code, 0, init.stderr);
      const configPath = join(project.dir, '.keel', 'keel.yaml');
      const config = readFileSync(configPath, 'utf8');
      assert.match(config, /path: \.keel\/state\/ledger\.db/);
      writeFileSync(configPath, config.replace('path: .keel/state/ledger.db', 'path: var/team.db'));
      mkdirSync(join(project.dir, 'var'));
      mkdirSync(join(project.dir, 'src'));
      await seedLedger(join(project.dir, 'var', 'team.db'));
      const result = await runKeel(['audit', 'verify', '--json'], {
        cwd: join(project.dir, 'src'),
      });
      assert.equal(result.code, 0, result.stderr);
      assert.equal(
        parseJson<{ ledger: string }>(result).ledger,
        join(project.dir, 'var', 'team.db'),
      );
      assert.equal(existsSync(join(project.dir, '.keel', 'state', 'ledger.db')), false);

      // Broken definitions: keel.yaml cannot be trusted, the audit says so and uses the default file.
      writeFileSync(configPath, `${config}\nnot_a_key: [\n`);
      const broken = await runKeel(['audit', 'verify'], { cwd: project.dir });
      assert.equal(broken.code, 1);
      assert.match(broken.stderr, /warning: the definitions under \.keel\/ are invalid/);
      assert.match(broken.stderr, /error: no ledger at .*\.keel\/state\/ledger\.db/);
    } finally {
      project.dispose();
    }
  });

  it('verifies a team ledger in PostgreSQL when keel.yaml says so, naming a tampered event', async (t) => {
    const baseUrl = process.env.KEEL_TEST_POSTGRES_URL;
    if (!baseUrl) {
      t.skip('KEEL_TEST_POSTGRES_URL not set: PostgreSQL ledger tests skipped');
      return;
    }
    // A database of its own: keel.yaml's store uses the default schema, `keel`.
    const database = `keel_audit_${process.pid}_${Date.now()}`;
    const admin = new pg.Client({ connectionString: baseUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    const url = new URL(baseUrl);
    url.pathname = `/${database}`;
    const project = makeTempRepo();
    try {
      assert.equal((await runKeel(['init'], { cwd: project.dir })).code, 0);
      const configPath = join(project.dir, '.keel', 'keel.yaml');
      const config = readFileSync(configPath, 'utf8').replace(
        /store:\n {2}driver: sqlite\n {2}path: \.keel\/state\/ledger\.db\n/,
        'store:\n  driver: postgres\n  url_env: KEEL_AUDIT_TEST_URL\n',
      );
      assert.match(config, /url_env: KEEL_AUDIT_TEST_URL/);
      writeFileSync(configPath, config);
      const env = { KEEL_AUDIT_TEST_URL: url.toString() };

      const missing = await runKeel(['audit', 'verify'], { cwd: project.dir, env });
      assert.equal(missing.code, 1);
      assert.match(missing.stderr, /error: no ledger at postgres:.*\(schema keel\)/);

      const ledger = await openLedger({ kind: 'postgres', url: url.toString() });
      const seeded = await ledger.append([
        { type: 'work_item.submitted', actor: 'user:ann', workItemId: 'WI-1' },
        {
          type: 'approval.decided',
          actor: 'user:bob',
          workItemId: 'WI-1',
          data: { approved: false },
        },
      ]);
      await ledger.close();
      const ok = await runKeel(['audit', 'verify'], { cwd: project.dir, env });
      assert.equal(ok.code, 0, ok.stderr);
      assert.equal(ok.stdout.trim(), `ledger verified: 2 events, head ${seeded[1]?.hash}`);

      const db = new pg.Client({ connectionString: url.toString() });
      await db.connect();
      await db.query(`UPDATE keel.ledger_events SET data = '{"approved":true}' WHERE seq = 2`);
      await db.end();
      const bad = await runKeel(['audit', 'verify'], { cwd: project.dir, env });
      assert.equal(bad.code, 1);
      assert.match(
        bad.stdout,
        new RegExp(`seq 2 \\(approval\\.decided ${seeded[1]?.id}\\): edited`),
      );
    } finally {
      project.dispose();
      await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await admin.end();
    }
  });

  it('rejects an unknown option as a usage error, exit 2', async () => {
    const result = await runKeel(['audit', 'verify', '--fast'], { cwd: repo.dir });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /unknown option '--fast'/);
  });
});
