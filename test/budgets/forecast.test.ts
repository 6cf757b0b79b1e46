/** Forecasts from the ledger: finished items' cost and cycle time, narrowed by size and labels; shown by keel submit. */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { finishedItemsOf, forecastItem } from '../../src/budgets/index.ts';
import { type LedgerEvent, type NewEvent, openLedger } from '../../src/ledger/index.ts';
import { makeTempRepo, parseJson, runKeel } from '../helpers/cli.ts';

/** A finished item's events: submitted at day 1, `calls` costs, completed after `hours`. */
function itemEvents(
  n: number,
  o: { type?: string; labels?: string[]; costs: number[]; hours: number; outcome?: string },
): NewEvent[] {
  const id = `WI-${n}`;
  const start = Date.UTC(2026, 9, n, 8);
  return [
    {
      type: 'work_item.submitted',
      actor: 't',
      workItemId: id,
      at: new Date(start).toISOString(),
      data: {
        id,
        type: o.type ?? 'feature',
        labels: o.labels ?? [],
        org: 'acme',
        team: 'payments',
        project: 'shop',
      },
    },
    {
      type: 'work_item.planned',
      actor: 't',
      workItemId: id,
      at: new Date(start).toISOString(),
      data: { workflow: { name: 'feature', version: 1, file: 'x' }, mode: 'balanced', passes: [] },
    },
    ...o.costs.map((costUsd) => ({
      type: 'model_call.recorded',
      actor: 't',
      workItemId: id,
      at: new Date(start + 60_000).toISOString(),
      data: { pass: 'spec', attempt: 1, costUsd, priced: true, usage: {} },
    })),
    {
      type: 'work_item.completed',
      actor: 't',
      workItemId: id,
      at: new Date(start + o.hours * 3_600_000).toISOString(),
      data: { outcome: o.outcome ?? 'done', reason: '' },
    },
  ];
}

const HISTORY: NewEvent[] = [
  ...itemEvents(1, { labels: ['size-s'], costs: [0.5, 0.5], hours: 2 }),
  ...itemEvents(2, { labels: ['size-s'], costs: [1.5], hours: 4 }),
  ...itemEvents(3, { labels: ['size-s', 'api'], costs: [2], hours: 6 }),
  ...itemEvents(4, { labels: ['size-l', 'api'], costs: [20], hours: 60 }),
  ...itemEvents(5, { labels: ['size-l', 'api'], costs: [30], hours: 80 }),
  ...itemEvents(6, { labels: ['size-l', 'api'], costs: [40], hours: 100 }),
  ...itemEvents(7, { labels: ['size-s'], costs: [99], hours: 1, outcome: 'failed' }),
];

function asEvents(list: NewEvent[]): LedgerEvent[] {
  return list.map((e, i) => ({
    seq: i + 1,
    id: String(i),
    type: e.type,
    at: e.at ?? '',
    actor: e.actor,
    workItemId: e.workItemId ?? null,
    data: (e.data ?? {}) as LedgerEvent['data'],
    idempotencyKey: null,
    prevHash: '',
    hash: '',
  }));
}

describe('forecasts from finished items', () => {
  const history = finishedItemsOf(asEvents(HISTORY));

  it('learns only from items finished as done, with their summed cost and cycle time', () => {
    assert.deepEqual(
      history.map((h) => [h.id, h.costMicros, h.durationHours, h.size]),
      [
        ['WI-1', 1_000_000, 2, 'S'],
        ['WI-2', 1_500_000, 4, 'S'],
        ['WI-3', 2_000_000, 6, 'S'],
        ['WI-4', 20_000_000, 60, 'L'],
        ['WI-5', 30_000_000, 80, 'L'],
        ['WI-6', 40_000_000, 100, 'L'],
      ],
    );
  });

  it('narrows to the size asked when enough items remain, and says so', () => {
    const f = forecastItem(history, { type: 'feature', workflow: 'feature', size: 'L' });
    assert.equal(f.status, 'forecast');
    assert.deepEqual(f.narrowedBy, ['size L']);
    assert.equal(f.status === 'forecast' && f.costMicros.p50, 30_000_000);
    assert.equal(f.status === 'forecast' && f.costMicros.p90, 40_000_000);
    assert.equal(f.status === 'forecast' && f.n, 3);
  });

  it('keeps the wider pool when too few items share the labels', () => {
    const f = forecastItem(history, {
      type: 'feature',
      workflow: 'feature',
      size: 'S',
      labels: ['api'],
    });
    assert.deepEqual(f.narrowedBy, ['size S']);
    assert.equal(f.status === 'forecast' && f.n, 3);
  });

  it('says there is no history rather than inventing a figure', () => {
    const f = forecastItem(history, { type: 'incident', workflow: 'hotfix' });
    assert.equal(f.status, 'no-history');
  });
});

describe('keel forecast and keel submit', () => {
  const repo = makeTempRepo();
  const keel = (...args: string[]) => runKeel(args, { cwd: repo.dir });
  before(async () => {
    assert.equal((await keel('init')).code, 0);
    const yaml = join(repo.dir, '.keel', 'keel.yaml');
    writeFileSync(
      yaml,
      `${readFileSync(yaml, 'utf8')}\ncost:\n  forecast_approval_above_usd: 10\n`,
    );
    const ledger = await openLedger({
      kind: 'sqlite',
      path: join(repo.dir, '.keel', 'state', 'ledger.db'),
    });
    await ledger.append(HISTORY);
    await ledger.close();
  });
  after(() => repo.dispose());

  it('prints p50 and p90 of cost and duration and how many items they rest on', async () => {
    const r = await keel('forecast', '--type', 'feature', '--size', 'l', '--json');
    assert.equal(r.code, 0, r.stderr);
    const f = parseJson<{
      n: number;
      costMicros: { p50: number; p90: number };
      durationHours: { p50: number };
    }>(r);
    assert.equal(f.n, 3);
    assert.deepEqual(f.costMicros, { p50: 30_000_000, p90: 40_000_000 });
    assert.equal(f.durationHours.p50, 80);
    const text = await keel('forecast', '--type', 'feature', '--size', 'S');
    assert.match(text.stdout, /cost \$1\.50 \(p90 \$2\.00\)/);
    assert.equal((await keel('forecast', '--type', 'feature', '--size', 'XL')).code, 2);
  });

  it('shows the forecast on submit and asks for approval when the p90 passes the policy', async () => {
    const small = await keel('submit', '--title', 'Small', '--label', 'size-s');
    assert.equal(small.code, 0, small.stderr);
    assert.match(small.stdout, /forecast: cost \$1\.50/);
    const big = await keel('submit', '--title', 'Big', '--label', 'size-l');
    assert.match(big.stdout, /forecast: cost \$30\.00/);
    assert.match(big.stderr, /waits for approval WI-9\/forecast/);
    const pending = await keel('pending', '--json');
    assert.match(pending.stdout, /WI-9\/forecast/);
    assert.doesNotMatch(pending.stdout, /WI-8\/forecast/);
  });
});
