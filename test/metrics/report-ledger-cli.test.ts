/**
 * `keel report` in a keel project with a ledger: the ledger half fills in the
 * JSON, Markdown and tables (in process through `main`, and once through the
 * real binary); a project whose ledger does not exist yet stays git-only.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { main } from '../../src/cli/main.ts';
import { openLedger } from '../../src/ledger/index.ts';
import type { FiveNumber, LedgerFigures } from '../../src/metrics/index.ts';
import { parseJson, type RunResult, repoRoot, runKeel } from '../helpers/cli.ts';
import { buildFlowRepo, writeFlowLedger } from './ledger-fixture.ts';
import { type SyntheticRepo, syntheticRepo } from './synthetic-repo.ts';

const UNTIL = '2026-01-23T12:00:00Z';
const ARGS = ['report', '--since', 'all', '--until', UNTIL, '--no-cache'];

async function runInProcess(args: string[], cwd: string): Promise<RunResult> {
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
    env: { ...process.env, NO_COLOR: '1', KEEL_LEDGER_PATH: '' },
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

function agent(name: string, category: string): string {
  return `---\nname: ${name}\nversion: 1\ncategory: ${category}\ndescription: ${name} of the flow fixture.\nruntime: llm\n---\nYou are the ${name}.\n`;
}

/** A keel project (definitions not committed, so the history stays the fixture's). */
function keelProject(repo: SyntheticRepo): void {
  cpSync(join(repoRoot, 'test/fixtures/definitions/valid/.keel'), join(repo.dir, '.keel'), {
    recursive: true,
  });
  for (const [name, category] of [
    ['coder', 'implementer'],
    ['reviewer', 'verifier'],
    ['scribe', 'documenter'],
  ] as const)
    writeFileSync(join(repo.dir, '.keel', 'agents', `${name}.md`), agent(name, category));
}

interface JsonReport {
  ledger: LedgerFigures | null;
}

describe('keel report with a ledger', () => {
  let repo: SyntheticRepo;
  let empty: SyntheticRepo;

  before(async () => {
    repo = syntheticRepo();
    const shas = buildFlowRepo(repo);
    keelProject(repo);
    mkdirSync(join(repo.dir, '.keel', 'state'), { recursive: true });
    const store = await openLedger({
      kind: 'sqlite',
      path: join(repo.dir, '.keel', 'state', 'ledger.db'),
    });
    await writeFlowLedger(store, shas);
    await store.close();
    empty = syntheticRepo();
    buildFlowRepo(empty);
    keelProject(empty);
  });
  after(() => {
    repo.dispose();
    empty.dispose();
  });

  it('fills the ledger figures into --json, with the targets of keel.yaml', async () => {
    const r = await runInProcess([...ARGS, '--json'], repo.dir);
    assert.equal(r.code, 0, r.stderr);
    const { ledger } = parseJson<JsonReport>(r);
    assert.ok(ledger, 'the report has ledger figures');
    assert.equal(ledger.source.items, 6);
    assert.equal(ledger.source.now, '2026-01-23T12:00:00.000Z');
    assert.match(ledger.source.ledger, /ledger\.db$/);
    const five = (id: string) => ledger.fiveNumbers.find((f) => f.id === id) as FiveNumber;
    assert.deepEqual(
      ledger.fiveNumbers.map((f) => [f.id, f.target, f.met]),
      [
        ['cycle-time', 72, true],
        ['rework-rate', 0.15, false],
        ['wait-state-ratio', 0.35, true],
        ['cost-per-shipped-feature', 60, true],
        ['ai-acceptance-rate', 0.7, true],
      ],
    );
    assert.equal(five('cycle-time').value, 24);
    assert.equal(five('ai-acceptance-rate').value, 0.8);
    // Roles come from the project's agents.
    assert.deepEqual(
      ledger.costByRole.map((r) => r.name),
      ['implementer', 'verifier', 'documenter'],
    );
    assert.equal(ledger.items.find((i) => i.id === 'WI-1')?.rework, 'reworked');
    assert.ok(ledger.definitions['wait-state-ratio'].definition.includes('cycle'));
  });

  it('prints the five numbers and the ledger tables in Markdown and as tables', async () => {
    const md = await runInProcess([...ARGS, '--md'], repo.dir);
    assert.equal(md.code, 0, md.stderr);
    assert.match(md.stdout, /## From the ledger/);
    assert.match(
      md.stdout,
      /\| Cycle time \| 24 h \| ≤ 72 h \| met \| 2026-W04: 24 h \| ↓ \(better\) \|/,
    );
    assert.match(
      md.stdout,
      /\| WI-2 \| alpha \| bug \| merged \|.*\$1\.00 \+ 1 unpriced \| clean \|/,
    );
    assert.doesNotMatch(md.stdout, /no ledger data/);
    const table = await runInProcess(ARGS, repo.dir);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /The five weekly numbers/);
    assert.match(table.stdout, /Cost by role/);
  });

  it('stays git-only in a keel project whose ledger does not exist yet', async () => {
    const r = await runInProcess([...ARGS, '--json'], empty.dir);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(parseJson<JsonReport>(r).ledger, null);
  });

  it('reports the ledger through the real keel binary', async () => {
    const r = await runKeel([...ARGS, '--json'], {
      cwd: repo.dir,
      env: { KEEL_LEDGER_PATH: '' },
      timeoutMs: 120_000,
    });
    assert.equal(r.code, 0, r.stderr);
    const { ledger } = parseJson<JsonReport>(r);
    assert.equal(ledger?.total.merged, 4);
    assert.equal(ledger?.weekly.length, 3);
  });
});
