/** `keel budget set|list|show`: budgets recorded in the ledger, with spend, state, notices and waits. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BudgetService } from '../../src/budgets/index.ts';
import { openLedger } from '../../src/ledger/index.ts';
import { makeTempRepo, parseJson, runKeel } from '../helpers/cli.ts';

interface StatusJson {
  id: string;
  limitMicros: number;
  settledMicros: number;
  reservedMicros: number;
  state: string;
  hardCap: boolean;
  source: string;
}

describe('keel budget', () => {
  const repo = makeTempRepo();
  const keel = (...args: string[]) => runKeel(args, { cwd: repo.dir });
  before(async () => assert.equal((await keel('init')).code, 0));
  after(() => repo.dispose());

  it('sets a budget in the ledger and lists it with its state', async () => {
    const set = await keel(
      'budget',
      'set',
      'proj-weekly',
      '--scope',
      'project',
      '--target',
      'shop',
      '--period',
      'weekly',
      '--limit',
      '10',
      '--owner',
      'tech-lead',
      '--hard-cap',
    );
    assert.equal(set.code, 0, set.stderr);
    assert.match(set.stdout, /budget proj-weekly set: project shop, weekly, \$10\.00, hard cap/);
    const list = parseJson<StatusJson[]>(await keel('budget', 'list', '--json'));
    const b = list.find((x) => x.id === 'proj-weekly');
    assert.equal(b?.limitMicros, 10_000_000);
    assert.equal(b?.state, 'ok');
    assert.equal(b?.source, 'ledger');
  });

  it('changes only the fields given when the budget exists', async () => {
    const r = await keel('budget', 'set', 'proj-weekly', '--limit', '12.5', '--json');
    assert.equal(r.code, 0, r.stderr);
    const def = parseJson<{ limitMicros: number; hardCap: boolean; period: string }>(r);
    assert.deepEqual([def.limitMicros, def.hardCap, def.period], [12_500_000, true, 'weekly']);
  });

  it('shows spend, the approaching notice and a dispatch waiting on the budget', async () => {
    const ledger = await openLedger({
      kind: 'sqlite',
      path: join(repo.dir, '.keel', 'state', 'ledger.db'),
    });
    const svc = new BudgetService(ledger);
    const req = {
      workItemId: 'WI-1',
      scopes: { project: 'shop' },
      priority: 'P1' as const,
      holder: 'h',
    };
    assert.equal(
      (await svc.admit({ ...req, dispatchId: 'a', estimateMicros: 9_000_000 })).status,
      'reserved',
    );
    await svc.settle('a', 8_000_000);
    assert.equal(
      (await svc.admit({ ...req, dispatchId: 'b', estimateMicros: 2_000_000 })).status,
      'reserved',
    );
    assert.equal(
      (await svc.admit({ ...req, dispatchId: 'c', estimateMicros: 5_000_000 })).status,
      'waiting',
    );
    await ledger.close();
    const show = await keel('budget', 'show', 'proj-weekly', '--json');
    assert.equal(show.code, 0, show.stderr);
    const s = parseJson<
      StatusJson & { notices: unknown[]; waiting: { waitId: string }[]; reservations: unknown[] }
    >(show);
    assert.equal(s.settledMicros, 8_000_000);
    assert.equal(s.reservedMicros, 2_000_000);
    assert.equal(s.state, 'approaching');
    assert.equal(s.notices.length, 1);
    assert.deepEqual(
      s.waiting.map((w) => w.waitId),
      ['budget:c'],
    );
    const text = await keel('budget', 'show', 'proj-weekly');
    assert.match(text.stdout, /approaching .* to tech-lead/);
    assert.match(text.stdout, /waiting\s+WI-1/);
  });

  it('defaults the target of an org, team or project budget to keel.yaml’s own, as keel.yaml does', async () => {
    const r = await keel(
      'budget',
      'set',
      'team-w',
      '--scope',
      'team',
      '--period',
      'weekly',
      '--limit',
      '5',
      '--owner',
      'o',
      '--json',
    );
    assert.equal(r.code, 0, r.stderr);
    const team = /team: (\S+)/.exec(
      readFileSync(join(repo.dir, '.keel', 'keel.yaml'), 'utf8'),
    )?.[1];
    assert.equal(parseJson<{ target: string }>(r).target, team);
  });

  it('refuses a new budget without a scope, and bad values, as usage errors', async () => {
    assert.equal(
      (await keel('budget', 'set', 'x', '--period', 'total', '--limit', '1', '--owner', 'o')).code,
      2,
    );
    assert.equal((await keel('budget', 'set', 'x', '--scope', 'galaxy')).code, 2);
    const neg = await keel(
      'budget',
      'set',
      'x',
      '--scope',
      'org',
      '--period',
      'total',
      '--limit',
      '-3',
      '--owner',
      'o',
    );
    assert.equal(neg.code, 2);
    assert.match(neg.stderr, /--limit/);
    const missing = await keel('budget', 'show', 'nope');
    assert.equal(missing.code, 1);
  });
});
