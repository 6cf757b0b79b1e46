/** The ledger-backed budget service: graded actions, notices, waits, settle, release and recovery. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type BudgetDefinition, BudgetService, postNotices } from '../../src/budgets/index.ts';
import { DIALECTS, databaseFor } from '../ledger/harness.ts';

const sqlite = DIALECTS[0];
if (!sqlite) throw new Error('no sqlite dialect');

const budget = (over: Partial<BudgetDefinition> = {}): BudgetDefinition => ({
  id: 'team-monthly',
  scope: 'team',
  target: 'payments',
  period: 'monthly',
  limitMicros: 100_000,
  approachingAt: 0.8,
  hardCap: false,
  owner: 'tech-lead',
  approvalAboveMicros: 0,
  ...over,
});

const request = (dispatchId: string, estimateMicros: number, over = {}) => ({
  dispatchId,
  workItemId: 'WI-1',
  scopes: { team: 'payments', work_item: 'WI-1' },
  priority: 'P1' as const,
  estimateMicros,
  holder: 'run-1',
  ...over,
});

describe('the budget service', () => {
  it('reserves, settles the actual cost and notifies the owner once when approaching', async (t) => {
    const db = await databaseFor(sqlite, t);
    if (!db) return;
    const store = await db.open();
    const s = new BudgetService(store, { configBudgets: [budget()] });
    const a = await s.admit(request('d1', 70_000));
    assert.equal(a.status, 'reserved');
    assert.equal((await s.settle('d1', 60_000)).settled, true);
    const b = await s.admit(request('d2', 25_000));
    assert.equal(b.status, 'reserved');
    assert.equal(b.notices.length, 1);
    assert.equal(b.notices[0]?.owner, 'tech-lead');
    const c = await s.admit(request('d3', 1_000));
    assert.equal(c.notices.length, 0, 'one notice per budget and period');
    assert.equal(await store.count({ types: ['budget.approaching'] }), 1);
    const { book } = await s.snapshot();
    assert.equal(book.reservations.size, 2);
    assert.deepEqual(
      book.settled.get('team-monthly')?.map((x) => x.micros),
      [60_000],
    );
  });

  it('makes a P2 dispatch yield to waiting higher-priority work when approaching', async (t) => {
    const db = await databaseFor(sqlite, t);
    if (!db) return;
    const s = new BudgetService(await db.open(), { configBudgets: [budget()] });
    await s.admit(request('d1', 85_000));
    const low = await s.admit(request('d2', 1_000, { priority: 'P2', higherWaiting: true }));
    assert.equal(low.status, 'waiting');
    const alone = await s.admit(request('d2', 1_000, { priority: 'P2' }));
    assert.equal(alone.status, 'reserved');
  });

  it('makes a dispatch at the limit wait for an approval, recording the wait and its end', async (t) => {
    const db = await databaseFor(sqlite, t);
    if (!db) return;
    const store = await db.open();
    const s = new BudgetService(store, { configBudgets: [budget({ approvalAboveMicros: 5_000 })] });
    await s.admit(request('d1', 95_000));
    const small = await s.admit(request('d2', 4_000));
    assert.equal(small.status, 'reserved', 'a dispatch under approval_above proceeds');
    const big = await s.admit(request('d3', 20_000));
    assert.equal(big.status, 'waiting');
    assert.equal(big.status === 'waiting' && big.action, 'wait-approval');
    await s.admit(request('d3', 20_000));
    assert.equal(
      await store.count({ types: ['wait.started'] }),
      1,
      'one wait, however often polled',
    );
    const approved = await s.admit(request('d3', 20_000, { approved: true }));
    assert.equal(approved.status, 'reserved');
    const ends = await store.read({ types: ['wait.ended'] });
    assert.equal(ends.length, 1);
    assert.equal(ends[0]?.data.reason, 'budget');
  });

  it('pauses low-priority work at the limit and pauses and escalates everything once over', async (t) => {
    const db = await databaseFor(sqlite, t);
    if (!db) return;
    const store = await db.open();
    const s = new BudgetService(store, { configBudgets: [budget()] });
    await s.admit(request('d1', 90_000));
    const low = await s.admit(request('d2', 20_000, { priority: 'P3' }));
    assert.equal(low.status === 'waiting' && low.action, 'pause');
    await s.settle('d1', 120_000);
    const any = await s.admit(request('d3', 1, { priority: 'P0' }));
    assert.equal(any.status === 'waiting' && any.action, 'pause-and-escalate');
    const escalations = await store.read({ types: ['budget.escalated'] });
    assert.equal(escalations.length, 1);
    assert.equal(escalations[0]?.data.owner, 'tech-lead');
  });

  it('refuses past a hard cap and reports an overrun when a call cost more than reserved', async (t) => {
    const db = await databaseFor(sqlite, t);
    if (!db) return;
    const s = new BudgetService(await db.open(), { configBudgets: [budget({ hardCap: true })] });
    assert.equal((await s.admit(request('d1', 90_000))).status, 'reserved');
    const over = await s.admit(request('d2', 20_000, { approved: true }));
    assert.equal(over.status === 'waiting' && over.action, 'refuse');
    const r = await s.settle('d1', 110_000);
    assert.deepEqual(r.overrunBy, ['team-monthly']);
    assert.equal(r.excessMicros, 20_000);
  });

  it('applies a work-item budget without a target to each item separately', async (t) => {
    const db = await databaseFor(sqlite, t);
    if (!db) return;
    const per = budget({ id: 'per-item', scope: 'work_item', target: undefined, hardCap: true });
    const s = new BudgetService(await db.open(), { configBudgets: [per] });
    const one = await s.admit(request('d1', 90_000));
    assert.equal(one.status === 'reserved' && one.budgetIds[0], 'per-item/WI-1');
    const other = await s.admit(
      request('d2', 90_000, { workItemId: 'WI-2', scopes: { work_item: 'WI-2' } }),
    );
    assert.equal(other.status, 'reserved');
  });

  it('lets a budget set in the ledger override keel.yaml by id, seen by another process', async (t) => {
    const db = await databaseFor(sqlite, t);
    if (!db) return;
    const a = new BudgetService(await db.open(), { configBudgets: [budget()] });
    const b = new BudgetService(await db.open(), { configBudgets: [budget()] });
    assert.equal((await a.admit(request('d1', 50_000))).status, 'reserved');
    await b.set(budget({ limitMicros: 40_000, hardCap: true }));
    const refused = await a.admit(request('d2', 1_000));
    assert.equal(refused.status === 'waiting' && refused.action, 'refuse');
  });

  it('releases the reservations of a crashed orchestrator on recovery, and only those', async (t) => {
    const db = await databaseFor(sqlite, t);
    if (!db) return;
    const store = await db.open();
    const s = new BudgetService(store, { configBudgets: [budget()] });
    await s.admit(request('d1', 10_000, { holder: 'dead-run' }));
    await s.admit(request('d2', 10_000, { holder: 'live-run' }));
    const released = await s.recover((r) => r.holder === 'live-run');
    assert.deepEqual(released, ['d1']);
    const { book } = await s.snapshot();
    assert.deepEqual([...book.reservations.keys()], ['d2']);
    assert.equal(await s.release('d2', 'cancelled'), true);
    assert.equal(await s.release('d2', 'cancelled'), false);
    assert.equal(await store.count({ types: ['budget.released'] }), 2);
  });
});

describe('budget notices to a webhook', () => {
  const notice = {
    budgetId: 'b',
    owner: 'o',
    state: 'approaching',
    committedMicros: 1,
    limitMicros: 2,
    periodStart: 'total',
    reason: 'r',
  };

  it('posts each notice to the URL held in the named environment variable', async () => {
    const seen: { url: string; body: string }[] = [];
    const fake = (async (url: string, init: RequestInit) => {
      seen.push({ url, body: String(init.body) });
      return new Response(null, { status: 204 });
    }) as unknown as typeof fetch;
    const r = await postNotices([notice], 'HOOK', { HOOK: 'https://h.example/t0k3n' }, fake);
    assert.equal(r.sent, 1);
    assert.equal(seen[0]?.url, 'https://h.example/t0k3n');
    assert.equal(JSON.parse(seen[0]?.body ?? '{}').budgetId, 'b');
  });

  it('reports a failing webhook without its URL', async () => {
    const fake = (async () => new Response('', { status: 500 })) as unknown as typeof fetch;
    const r = await postNotices([notice], 'HOOK', { HOOK: 'https://h.example/t0k3n' }, fake);
    assert.equal(r.sent, 0);
    assert.doesNotMatch(r.error ?? '', /t0k3n/);
    assert.match(r.error ?? '', /HTTP 500/);
  });
});
