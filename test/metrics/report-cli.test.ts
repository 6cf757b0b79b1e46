/**
 * `keel report` as a user runs it: in a plain git repository with no `.keel/`,
 * with bad arguments, and twice in a row to show the cache reads only new commits.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { main } from '../../src/cli/main.ts';
import { parseJson, type RunResult, runKeel } from '../helpers/cli.ts';
import { DAY, HOUR, lines, type SyntheticRepo, syntheticRepo, T0 } from './synthetic-repo.ts';

interface JsonReport {
  schema: string;
  branch: string;
  head: { sha: string };
  figures: {
    changes: { total: number; ai: number };
    survivalAtHead: { definition: string; ai: { value: number | null } };
    batchSize: { weeks: unknown[] };
  };
  ledger: unknown;
  analysis: { commitsProcessed: number; changesFromCache: number; cache: string };
}

/** Runs keel in this process (no start-up cost) for the cases that need no real process. */
async function runInProcess(
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  const sink = (write: (s: string) => void) =>
    new Writable({
      write(chunk, _encoding, done) {
        write(String(chunk));
        done();
      },
    });
  const code = await main(args, {
    cwd,
    env: { ...process.env, NO_COLOR: '1', ...env },
    streams: {
      stdout: sink((s) => {
        stdout += s;
      }),
      stderr: sink((s) => {
        stderr += s;
      }),
    },
  });
  return { code, stdout, stderr };
}

describe('keel report', () => {
  let repo: SyntheticRepo;
  let cacheHome: string;
  const env = () => ({ XDG_CACHE_HOME: cacheHome, HOME: cacheHome });

  before(() => {
    cacheHome = mkdtempSync(join(tmpdir(), 'keel-cache-'));
    repo = syntheticRepo();
    repo.commit('Start', { at: T0, files: { 'a.txt': lines('alpha', 4) } });
    repo.commit('AI work\n\nCo-authored-by: Claude <noreply@anthropic.com>\n', {
      at: T0 + HOUR,
      files: { 'b.txt': lines('beta', 6) },
    });
    repo.commit('More', { at: T0 + DAY, files: { 'a.txt': lines('alpha', 5) } });
  });
  after(() => {
    repo.dispose();
    rmSync(cacheHome, { recursive: true, force: true });
  });

  it('prints the JSON report of a repository that has no .keel set-up', async () => {
    const r = await runKeel(['report', '--json', '--since', 'all', '--no-cache'], {
      cwd: repo.dir,
      env: env(),
    });
    assert.equal(r.code, 0, r.stderr);
    const report = parseJson<JsonReport>(r);
    assert.equal(report.schema, 'keel.report/1');
    assert.equal(report.branch, 'main');
    assert.deepEqual(report.figures.changes, { total: 3, ai: 1, other: 2 });
    assert.equal(report.figures.survivalAtHead.ai.value, 1);
    assert.match(report.figures.survivalAtHead.definition, /still present at the analysed head/);
    assert.equal(report.ledger, null);
    assert.equal(report.analysis.cache, 'disabled');
    assert.equal(existsSync(join(repo.dir, '.keel')), false, 'report writes nothing into the repo');
  });

  it('reads only the new commits on a second run, from the cache', async () => {
    const args = ['report', '--json', '--since', 'all', '--repo', repo.dir];
    const first = parseJson<JsonReport>(await runInProcess(args, tmpdir(), env()));
    assert.equal(first.analysis.cache, 'miss');
    assert.equal(first.analysis.commitsProcessed, 3);
    assert.equal(readdirSync(join(cacheHome, 'keel')).length, 1);

    repo.commit('Later\n\nCo-authored-by: aider <noreply@aider.chat>\n', {
      at: T0 + 2 * DAY,
      files: { 'c.txt': lines('gamma', 2) },
    });
    const second = parseJson<JsonReport>(await runInProcess(args, tmpdir(), env()));
    assert.equal(second.analysis.cache, 'hit');
    assert.equal(second.analysis.commitsProcessed, 1);
    assert.equal(second.analysis.changesFromCache, 3);
    assert.deepEqual(second.figures.changes, { total: 4, ai: 2, other: 2 });

    const third = parseJson<JsonReport>(await runInProcess(args, tmpdir(), env()));
    assert.equal(third.analysis.commitsProcessed, 0);
    assert.deepEqual(third.figures, second.figures, 'the cached state gives the same figures');
  });

  it('keeps its cache under .keel/state/report-cache when the repository has .keel', async () => {
    mkdirSync(join(repo.dir, '.keel'));
    try {
      const r = await runInProcess(['report', '--json', '--since', 'all'], repo.dir, env());
      assert.equal(r.code, 0, r.stderr);
      assert.equal(readdirSync(join(repo.dir, '.keel', 'state', 'report-cache')).length, 1);
    } finally {
      rmSync(join(repo.dir, '.keel'), { recursive: true, force: true });
    }
  });

  it('rejects an unreadable --since with exit 2 and says what it accepts', async () => {
    const r = await runKeel(['report', '--since', 'last tuesday'], { cwd: repo.dir, env: env() });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--since "last tuesday" is not a date or an age/);
    assert.match(r.stderr, /90d/);
    assert.equal(r.stdout, '');
  });

  it('rejects an unknown --branch with exit 1 naming the branch', async () => {
    const r = await runKeel(['report', '--branch', 'nope'], { cwd: repo.dir, env: env() });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /branch nope does not exist/);
  });

  it('fails with exit 1 outside a git repository', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keel-nogit-'));
    try {
      const r = await runKeel(['report'], {
        cwd: dir,
        env: { ...env(), GIT_CEILING_DIRECTORIES: tmpdir() },
      });
      assert.equal(r.code, 1);
      assert.match(r.stderr, /is not inside a git repository/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects two output formats at once with exit 2', async () => {
    const r = await runInProcess(['report', '--json', '--md'], repo.dir, env());
    assert.equal(r.code, 2);
    assert.match(r.stderr, /choose one output format/);
  });

  it('reports a malformed --patterns file with exit 1 naming the file and field', async () => {
    const file = join(cacheHome, 'patterns.json');
    writeFileSync(
      file,
      JSON.stringify({ rules: [{ id: 'x', field: 'subject', tool: 't', pattern: 'a' }] }),
    );
    const r = await runInProcess(['report', '--patterns', file], repo.dir, env());
    assert.equal(r.code, 1);
    assert.match(r.stderr, /patterns\.json: rules\.0\.field/);
  });

  it('uses extra attribution patterns from --patterns', async () => {
    const file = join(cacheHome, 'patterns.yaml');
    writeFileSync(
      file,
      'rules:\n  - id: start-bot\n    field: message\n    tool: startbot\n    pattern: "^Start$"\n',
    );
    const r = await runInProcess(
      ['report', '--json', '--since', 'all', '--patterns', file],
      repo.dir,
      env(),
    );
    assert.equal(r.code, 0, r.stderr);
    const report = parseJson<JsonReport>(r);
    assert.equal(report.figures.changes.ai, 3);
  });

  it('prints tables, Markdown with definitions, and progress only when asked', async () => {
    const table = await runInProcess(['report', '--since', 'all', '--progress'], repo.dir, env());
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /Line survival at head\s+100\.0%/);
    assert.match(table.stderr, /report: \d+\/\d+ commits \(/);
    const quiet = await runInProcess(['report', '--since', 'all', '--no-cache'], repo.dir, env());
    assert.equal(quiet.stderr, '');
    const md = await runInProcess(['report', '--md', '--since', 'all'], repo.dir, env());
    assert.match(md.stdout, /^# keel report — main/);
    assert.match(md.stdout, /## From the ledger\n\n_no ledger data_/);
    assert.match(table.stdout, /From the ledger no ledger data/);
  });
});
