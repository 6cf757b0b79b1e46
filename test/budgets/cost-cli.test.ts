/** `keel cost` reads model calls from the ledger: its sums match the calls and `keel show` to the cent. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openLedger } from '../../src/ledger/index.ts';
import { makeTempRepo, parseJson, runKeel } from '../helpers/cli.ts';

interface CostJson {
  by: string[];
  groups: { key: Record<string, string>; costMicros: number; costUsd: number; calls: number }[];
  totalMicros: number;
  calls: number;
  unpriced: { model: string }[];
}

/** Awkward costs whose float sum drifts from the micro-dollar sum. */
const COSTS = [0.004449, 0.1, 0.2, 0.000013, 1.234567, 0.333333, 0.070001, 0.009999];

describe('keel cost', () => {
  const repo = makeTempRepo();
  const keel = (...args: string[]) => runKeel(args, { cwd: repo.dir });
  let expectedMicros = 0;

  before(async () => {
    assert.equal((await keel('init')).code, 0);
    for (const title of ['Export CSV', 'Import CSV'])
      assert.equal((await keel('submit', '--title', title)).code, 0);
    const ledger = await openLedger({
      kind: 'sqlite',
      path: join(repo.dir, '.keel', 'state', 'ledger.db'),
    });
    const events = [];
    let i = 0;
    for (const item of ['WI-1', 'WI-2'])
      for (const pass of ['spec', 'implementation']) {
        const agent = pass === 'spec' ? 'specifier' : 'implementer';
        events.push({
          type: 'attempt.started',
          actor: 'keel',
          workItemId: item,
          data: { pass, attempt: 1, agent, model: 'gpt-5-mini', provider: 'openai' },
        });
        for (let c = 0; c < 2; c++) {
          const costUsd = COSTS[i++ % COSTS.length] ?? 0;
          expectedMicros += Math.round(costUsd * 1e6);
          events.push({
            type: 'model_call.recorded',
            actor: 'keel',
            workItemId: item,
            at: `2026-11-${c === 0 ? '10' : '20'}T12:00:00.000Z`,
            data: {
              pass,
              attempt: 1,
              purpose: 'pass',
              provider: 'openai',
              model: c === 0 ? 'gpt-5-mini' : 'gpt-5',
              usage: { inputTokens: 1000, outputTokens: 100 },
              costUsd,
              priced: true,
            },
          });
        }
      }
    events.push({
      type: 'model_call.recorded',
      actor: 'keel',
      workItemId: 'WI-2',
      data: {
        pass: 'spec',
        attempt: 1,
        purpose: 'pass',
        provider: 'acme',
        model: 'mystery-1',
        usage: { inputTokens: 10, outputTokens: 1 },
        costUsd: null,
        priced: false,
        unpricedReason: 'unknown model',
      },
    });
    await ledger.append(events);
    await ledger.close();
  });
  after(() => repo.dispose());

  it('totals every priced call to the micro-dollar and lists unpriced calls apart', async () => {
    const r = await keel('cost', '--json');
    assert.equal(r.code, 0, r.stderr);
    const cost = parseJson<CostJson>(r);
    assert.equal(cost.totalMicros, expectedMicros);
    assert.equal(cost.calls, 8);
    assert.equal(
      cost.groups.reduce((s, g) => s + g.costMicros, 0),
      expectedMicros,
    );
    assert.deepEqual(
      cost.unpriced.map((u) => u.model),
      ['mystery-1'],
    );
  });

  it('agrees with keel show on each pass of an item, to the cent', async () => {
    const cost = parseJson<CostJson>(await keel('cost', '--item', '1', '--by', 'pass', '--json'));
    const show = parseJson<{ passes: { id: string; costUsd: number }[] }>(
      await keel('show', 'WI-1', '--json'),
    );
    for (const p of show.passes) {
      const g = cost.groups.find((x) => x.key.pass === p.id);
      assert.equal(((g?.costMicros ?? 0) / 1e6).toFixed(2), p.costUsd.toFixed(2), p.id);
    }
    assert.ok(cost.groups.length === 2);
  });

  it('groups by several dimensions, filters by date, and prints CSV', async () => {
    const byModel = parseJson<CostJson>(
      await keel('cost', '--by', 'agent,model', '--since', '2026-11-15', '--json'),
    );
    assert.deepEqual(new Set(byModel.groups.map((g) => g.key.model)), new Set(['gpt-5']));
    assert.equal(byModel.calls, 4);
    const csv = await keel('cost', '--by', 'day', '--csv');
    assert.equal(csv.code, 0);
    const lines = csv.stdout.trim().split('\n');
    assert.equal(lines[0], 'day,calls,tokens,cost_usd');
    assert.equal(lines.length, 3);
    const table = await keel('cost', '--by', 'item');
    assert.match(table.stdout, /TOTAL/);
    assert.match(table.stdout, /1 unpriced call\(s\) not counted: acme\/mystery-1/);
  });

  it('rejects an unknown dimension and a bad date as usage errors', async () => {
    const bad = await keel('cost', '--by', 'colour');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /unknown dimension `colour`/);
    const since = await keel('cost', '--since', 'yesterday');
    assert.equal(since.code, 2);
  });
});
