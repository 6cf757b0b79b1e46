/** `keel init` as a user runs it: the real binary in temporary git repositories. */
import assert from 'node:assert/strict';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parse } from 'yaml';
import { loadStarterFiles } from '../../src/definitions/starter/index.ts';
import { makeTempRepo, parseJson, runKeel, type TempRepo } from '../helpers/cli.ts';

const starterPaths = loadStarterFiles().map((f) => f.path);

// Each test owns its repository, so they run concurrently: the time is in process start-up.
describe('keel init', { concurrency: true }, () => {
  const repos: TempRepo[] = [];
  const repo = (prefix?: string): TempRepo => {
    const r = makeTempRepo(prefix);
    repos.push(r);
    return r;
  };
  after(() => {
    for (const r of repos.splice(0)) r.dispose();
  });

  it('writes every starter file into the repository named by -C and lists them as JSON', async () => {
    const r = repo();
    const result = await runKeel(['-C', r.dir, 'init', '--json'], { cwd: tmpdir() });
    assert.equal(result.code, 0, result.stderr);
    const out = parseJson<{ written: string[]; skipped: string[] }>(result);
    assert.deepEqual(out.written, starterPaths);
    assert.deepEqual(out.skipped, []);
    for (const path of starterPaths) assert.ok(existsSync(join(r.dir, path)), `${path} missing`);
    assert.ok(starterPaths.length >= 5 + 15 + 2, 'expected settings, workflows and agents');
  });

  it('prints what it wrote and the next steps, and keeps the ledger out of git', async () => {
    const r = repo();
    const result = await runKeel(['init'], { cwd: r.dir });
    assert.equal(result.code, 0);
    assert.match(result.stdout, /\.keel\/workflows\/feature\.yaml/);
    assert.match(result.stdout, /keel validate/);
    assert.match(result.stdout, /keel submit --title/);
    assert.doesNotMatch(result.stdout, /keel agents import/, 'no Claude Code subagents here');
    assert.equal(readFileSync(join(r.dir, '.keel/.gitignore'), 'utf8').trim(), 'state/');
    r.git('check-ignore', '-q', '.keel/state/ledger.db'); // throws when not ignored
  });

  it('refuses a second init, names the conflicting files, and writes nothing', async () => {
    const r = repo();
    await runKeel(['init'], { cwd: r.dir });
    const settings = join(r.dir, '.keel/keel.yaml');
    writeFileSync(settings, 'version: 1\n# edited by the team\n');
    unlinkSync(join(r.dir, '.keel/agents/editor.md'));
    const result = await runKeel(['init'], { cwd: r.dir });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /refusing to overwrite/);
    assert.match(result.stderr, /\.keel\/keel\.yaml/);
    assert.match(result.stderr, /--force/);
    assert.equal(readFileSync(settings, 'utf8'), 'version: 1\n# edited by the team\n');
    assert.equal(existsSync(join(r.dir, '.keel/agents/editor.md')), false, 'wrote a missing file');
  });

  it('overwrites changed files with --force and reports unchanged ones as skipped', async () => {
    const r = repo();
    await runKeel(['init'], { cwd: r.dir });
    const original = readFileSync(join(r.dir, '.keel/workflows/docs.yaml'), 'utf8');
    writeFileSync(join(r.dir, '.keel/workflows/docs.yaml'), 'name: docs\n');
    const result = await runKeel(['init', '--force', '--json'], { cwd: r.dir });
    assert.equal(result.code, 0, result.stderr);
    const out = parseJson<{ written: string[]; skipped: string[] }>(result);
    assert.deepEqual(out.written, ['.keel/workflows/docs.yaml']);
    assert.equal(out.skipped.length, starterPaths.length - 1);
    assert.equal(readFileSync(join(r.dir, '.keel/workflows/docs.yaml'), 'utf8'), original);
  });

  it('fails with exit 1 outside a git work tree and creates nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keel-nogit-'));
    try {
      const result = await runKeel(['init'], {
        cwd: dir,
        env: { GIT_CEILING_DIRECTORIES: tmpdir() },
      });
      assert.equal(result.code, 1);
      assert.match(result.stderr, /not inside a git work tree/);
      assert.equal(existsSync(join(dir, '.keel')), false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects an invalid --org with exit 2 and writes nothing', async () => {
    const r = repo();
    const result = await runKeel(['init', '--org', 'two words'], { cwd: r.dir });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /invalid --org "two words"/);
    assert.equal(existsSync(join(r.dir, '.keel')), false);
  });

  it('writes the given org, team and project into keel.yaml and the matching budget targets', async () => {
    const r = repo();
    const result = await runKeel(
      ['init', '--org', 'globex', '--team', 'billing', '--project', 'true'],
      { cwd: r.dir },
    );
    assert.equal(result.code, 0, result.stderr);
    const text = readFileSync(join(r.dir, '.keel/keel.yaml'), 'utf8');
    const settings = parse(text) as {
      org: unknown;
      team: unknown;
      project: unknown;
      budgets: { scope: string; target?: unknown }[];
    };
    // A name that YAML would read as a boolean is quoted, so it stays a string.
    assert.deepEqual(
      [settings.org, settings.team, settings.project],
      ['globex', 'billing', 'true'],
    );
    const target = (scope: string) => settings.budgets.find((b) => b.scope === scope)?.target;
    assert.deepEqual(
      [target('org'), target('team'), target('project')],
      ['globex', 'billing', 'true'],
    );
    assert.match(text, /# Who this repository belongs to/, 'comments were lost');
  });

  it('derives the names from the repository folder and the origin remote when not given', async () => {
    const r = repo('shop-api-');
    r.git('remote', 'add', 'origin', 'git@github.com:Initech/shop.git');
    mkdirSync(join(r.dir, '.claude/agents'), { recursive: true });
    const result = await runKeel(['init'], { cwd: r.dir });
    assert.match(
      result.stdout,
      /keel agents import/,
      'suggests importing the Claude Code subagents',
    );
    const settings = parse(readFileSync(join(r.dir, '.keel/keel.yaml'), 'utf8')) as Record<
      string,
      unknown
    >;
    assert.equal(settings.org, 'initech');
    assert.match(String(settings.project), /^shop-api-/);
    assert.equal(settings.team, settings.project);
  });
});
