import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { makeTempRepo, parseJson, runKeel } from '../helpers/cli.ts';

interface ItemJson {
  id: string;
  title: string;
  type: string;
  priority: string;
  status: string;
  labels: string[];
  budgetUsd: number | null;
  workflow: { name: string; version: number } | null;
  mode: string | null;
  passes: { id: string; agent: string; needs: string[]; state: string; gates: { id: string }[] }[];
  timeline: { seq: number; type: string }[];
}

describe('keel submit, list and show', () => {
  const repo = makeTempRepo();
  const ledgerPath = join(repo.dir, '.keel', 'state', 'ledger.db');
  const keel = (...args: string[]) => runKeel(args, { cwd: repo.dir });
  before(async () => {
    const init = await keel('init');
    assert.equal(init.code, 0, init.stderr);
  });
  after(() => repo.dispose());

  it('refuses a submission no workflow selects, names the workflows, and creates no ledger', async () => {
    const result = await keel('submit', '--title', 'Tune the GPU', '--type', 'research');
    assert.equal(result.code, 1);
    assert.match(result.stderr, /no workflow selects type `research`/);
    assert.match(result.stderr, /feature \(types: feature/);
    assert.equal(existsSync(ledgerPath), false);
  });

  it('rejects a bad priority as a usage error', async () => {
    const result = await keel('submit', '--title', 'x', '--priority', 'P7');
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--priority <P>.*P7.*is invalid/s);
  });

  it('records a feature, plans the feature workflow, and prints the id', async () => {
    writeFileSync(join(repo.dir, 'body.md'), 'Users need to export orders as CSV.\n');
    const result = await keel(
      'submit',
      '--title',
      'Add CSV export',
      '--body-file',
      'body.md',
      '--label',
      'api',
      '--budget',
      '25',
      '--source',
      'SHOP-42',
      '--json',
    );
    assert.equal(result.code, 0, result.stderr);
    const item = parseJson<ItemJson>(result);
    assert.equal(item.id, 'WI-1');
    assert.equal(item.status, 'planned');
    assert.equal(item.workflow?.name, 'feature');
    assert.equal(item.budgetUsd, 25);
    assert.deepEqual(
      item.passes.map((p) => p.id),
      ['spec', 'design', 'ir', 'validation', 'implementation', 'verification', 'integration'],
    );
    assert.equal(item.passes[0]?.state, 'ready');
    assert.equal(item.passes[1]?.state, 'pending');
  });

  it('selects the workflow by type: a docs change gets the short docs workflow', async () => {
    const result = await keel(
      'submit',
      '--title',
      'Fix typo in README',
      '--type',
      'docs',
      '--json',
    );
    assert.equal(result.code, 0, result.stderr);
    const item = parseJson<ItemJson>(result);
    assert.equal(item.workflow?.name, 'docs');
    assert.ok(item.passes.length <= 2, `docs workflow has ${item.passes.length} passes`);
  });

  it('gives distinct ids to submissions made at the same time by separate processes', async () => {
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        keel('submit', '--title', `parallel ${i}`, '--type', 'bug', '--json'),
      ),
    );
    for (const r of results) assert.equal(r.code, 0, r.stderr);
    const ids = results.map((r) => parseJson<ItemJson>(r).id);
    assert.equal(new Set(ids).size, 6);
    const list = parseJson<{ items: ItemJson[] }>(await keel('list', '--json'));
    assert.deepEqual(
      list.items.map((i) => i.id),
      ['WI-1', 'WI-2', 'WI-3', 'WI-4', 'WI-5', 'WI-6', 'WI-7', 'WI-8'],
    );
  });

  it('filters the list by type and rejects an unknown status', async () => {
    const docs = parseJson<{ items: ItemJson[] }>(await keel('list', '--type', 'docs', '--json'));
    assert.deepEqual(
      docs.items.map((i) => i.title),
      ['Fix typo in README'],
    );
    const bad = await keel('list', '--status', 'sleeping');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /unknown status `sleeping`/);
  });

  it('shows a work item with its passes and timeline, by full or short id', async () => {
    const json = parseJson<ItemJson>(await keel('show', 'wi-1', '--json'));
    assert.equal(json.title, 'Add CSV export');
    assert.deepEqual(
      json.timeline.map((t) => t.type),
      ['work_item.submitted', 'work_item.planned'],
    );
    const text = await keel('show', '1');
    assert.equal(text.code, 0);
    assert.match(text.stdout, /WI-1 {2}Add CSV export/);
    assert.match(text.stdout, /Users need to export orders as CSV\./);
    assert.match(text.stdout, /spec\s+specifier\s+\S+\s+—\s+ready/);
  });

  it('says which ids exist when asked for one that does not', async () => {
    const result = await keel('show', 'WI-99');
    assert.equal(result.code, 1);
    assert.match(result.stderr, /no work item `WI-99`/);
    assert.match(result.stderr, /ids run from WI-1 to WI-8/);
  });

  it('keeps a verifying ledger after all of this', async () => {
    const result = await keel('audit', 'verify');
    assert.equal(result.code, 0, result.stderr);
  });
});

describe('keel submit outside an initialised repository', () => {
  const repo = makeTempRepo();
  after(() => repo.dispose());

  it('explains that keel init comes first', async () => {
    const result = await runKeel(['submit', '--title', 'x'], { cwd: repo.dir });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /no \.keel\/keel\.yaml/);
    assert.match(result.stderr, /keel init/);
  });
});

describe('keel submit flag values', () => {
  const repo = makeTempRepo();
  before(async () => {
    assert.equal((await runKeel(['init'], { cwd: repo.dir })).code, 0);
  });
  after(() => repo.dispose());

  it('treats every invalid flag value as a usage error (exit 2) naming the flag', async () => {
    for (const [flag, value, message] of [
      ['--title', '', /--title: must not be empty/],
      ['--source', 'not a url', /--source: must be an http\(s\) URL/],
      ['--owner', ' ', /--owner: must not be empty/],
      ['--mode', 'turbo', /has no mode `turbo`/],
    ] as const) {
      const args =
        flag === '--title' ? ['submit', flag, value] : ['submit', '--title', 'x', flag, value];
      const result = await runKeel(args, { cwd: repo.dir });
      assert.equal(result.code, 2, `${flag} ${value}: ${result.stderr}`);
      assert.match(result.stderr, message);
    }
  });
});
