/** The learned router reads its history from the ledger: acceptance and cost per agent category × model. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { passOutcomesOf } from '../../src/budgets/index.ts';
import { type LedgerEvent, type NewEvent, openLedger } from '../../src/ledger/index.ts';
import { makeTempRepo, parseJson, runKeel } from '../helpers/cli.ts';

const HAIKU = 'anthropic/claude-haiku-4-5';
const SONNET = 'anthropic/claude-sonnet-4-5';

/** One finished attempt of the implementer on `model`, its gate verdict and its cost. */
function attempt(
  item: string,
  n: number,
  model: string,
  passed: boolean,
  costUsd: number,
): NewEvent[] {
  const [provider, id] = model.split('/');
  const data = { pass: 'implementation', attempt: n };
  return [
    {
      type: 'attempt.started',
      actor: 'keel',
      workItemId: item,
      data: { ...data, agent: 'implementer', provider, model: id },
    },
    {
      type: 'model_call.recorded',
      actor: 'implementer',
      workItemId: item,
      data: { ...data, purpose: 'pass', costUsd, priced: true, provider, model: id },
    },
    {
      type: 'attempt.finished',
      actor: 'keel',
      workItemId: item,
      data: { ...data, outcome: 'succeeded' },
    },
    {
      type: 'gate.decided',
      actor: 'keel',
      workItemId: item,
      data: { ...data, gate: 'tests', verdict: passed ? 'passed' : 'failed' },
    },
  ];
}

function history(): NewEvent[] {
  const out: NewEvent[] = [];
  for (let i = 1; i <= 8; i++) {
    const item = `WI-${i}`;
    out.push({
      type: 'work_item.submitted',
      actor: 't',
      workItemId: item,
      data: { id: item, type: i <= 4 ? 'feature' : 'bug' },
    });
    // Haiku: cheap, but only bugs pass first time; Sonnet: dearer, always accepted.
    out.push(...attempt(item, 1, HAIKU, i > 4, 0.02));
    out.push(...attempt(item, 2, SONNET, true, 0.04));
  }
  return out;
}

function asEvents(list: NewEvent[]): LedgerEvent[] {
  return list.map((e, i) => ({
    seq: i + 1,
    id: String(i),
    type: e.type,
    at: '',
    actor: e.actor,
    workItemId: e.workItemId ?? null,
    data: (e.data ?? {}) as LedgerEvent['data'],
    idempotencyKey: null,
    prevHash: '',
    hash: '',
  }));
}

describe('pass outcomes from the ledger', () => {
  it('counts each finished attempt on its model, accepted only when every gate passed', () => {
    const outcomes = passOutcomesOf(asEvents(history()), new Map([['implementer', 'implementer']]));
    const plain = outcomes.filter((o) => o.category === 'implementer');
    assert.equal(plain.length, 16);
    assert.equal(plain.filter((o) => o.model === HAIKU && o.accepted).length, 4);
    assert.equal(plain.filter((o) => o.model === SONNET && o.accepted).length, 8);
    assert.equal(outcomes.filter((o) => o.category === 'implementer/bug').length, 8);
    assert.equal(plain.find((o) => o.model === HAIKU)?.costMicros, 20_000);
  });
});

describe('keel route explain --agent', () => {
  const repo = makeTempRepo();
  const keel = (...args: string[]) => runKeel(args, { cwd: repo.dir });
  before(async () => {
    assert.equal((await keel('init')).code, 0);
    const ledger = await openLedger({
      kind: 'sqlite',
      path: join(repo.dir, '.keel', 'state', 'ledger.db'),
    });
    await ledger.append(history());
    await ledger.close();
  });
  after(() => repo.dispose());

  interface Explained {
    chosen: string;
    key: string;
    historySource: string;
    historyPasses: number;
    candidates: { model: string; passes: number; accepted: number }[];
  }

  it('learns acceptance and cost per model from the ledger for the agent’s category', async () => {
    const r = await keel(
      'route',
      'explain',
      '--agent',
      'implementer',
      '--models',
      `${HAIKU},${SONNET}`,
      '--json',
    );
    assert.equal(r.code, 0, r.stderr);
    const e = parseJson<Explained>(r);
    assert.equal(e.key, 'implementer');
    assert.equal(e.historySource, 'ledger');
    assert.equal(e.historyPasses, 16);
    const haiku = e.candidates.find((c) => c.model === HAIKU);
    assert.deepEqual([haiku?.passes, haiku?.accepted], [8, 4]);
  });

  it('refines the key by the item’s type, where the cheap model does well', async () => {
    const feature = parseJson<Explained>(
      await keel(
        'route',
        'explain',
        '--agent',
        'implementer',
        '--item',
        'WI-1',
        '--models',
        `${HAIKU},${SONNET}`,
        '--json',
      ),
    );
    const bug = parseJson<Explained>(
      await keel(
        'route',
        'explain',
        '--agent',
        'implementer',
        '--item',
        'WI-5',
        '--models',
        `${HAIKU},${SONNET}`,
        '--json',
      ),
    );
    assert.equal(feature.key, 'implementer/feature');
    assert.equal(bug.key, 'implementer/bug');
    assert.equal(feature.chosen, SONNET, 'haiku never passes features first time');
    assert.equal(bug.chosen, HAIKU, 'haiku always passes bugs, at half the cost');
  });

  it('rejects an unknown agent and an unknown item', async () => {
    const agent = await keel('route', 'explain', '--agent', 'nobody');
    assert.equal(agent.code, 2);
    assert.match(agent.stderr, /no agent `nobody`/);
    const item = await keel(
      'route',
      'explain',
      '--agent',
      'implementer',
      '--item',
      'WI-99',
      '--models',
      HAIKU,
    );
    assert.equal(item.code, 2);
  });
});
