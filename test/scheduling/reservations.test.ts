/** Scenario tests of the reservation manager, one feature at a time. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  compatible,
  LOCK_MODES,
  type LockMode,
  ReservationConfigError,
  ReservationManager,
  reservationView,
} from '../../src/scheduling/index.ts';
import { lock, manager, RESOURCES, req } from './fixtures.ts';

const USERS = 'app.public.users';
const ORDERS = 'app.public.orders';

describe('lock modes', () => {
  // Gray's multiple-granularity matrix, written out independently of the code.
  const expected: Record<LockMode, Record<LockMode, boolean>> = {
    IS: { IS: true, IX: true, S: true, SIX: true, X: false },
    IX: { IS: true, IX: true, S: false, SIX: false, X: false },
    S: { IS: true, IX: false, S: true, SIX: false, X: false },
    SIX: { IS: true, IX: false, S: false, SIX: false, X: false },
    X: { IS: false, IX: false, S: false, SIX: false, X: false },
  };
  for (const held of LOCK_MODES) {
    for (const wanted of LOCK_MODES) {
      const ok = expected[held][wanted];
      it(`${ok ? 'grants' : 'queues'} ${wanted} on a table while another owner holds ${held}`, () => {
        const m = manager();
        assert.equal(m.request(req('a', lock(USERS, held)), 0).result.kind, 'granted');
        assert.equal(compatible(held, wanted), ok);
        assert.equal(
          m.request(req('b', lock(USERS, wanted)), 0).result.kind,
          ok ? 'granted' : 'queued',
        );
      });
    }
  }
});

describe('intention locks on ancestors', () => {
  it('takes IX on the schema and database under an X table lock, so S on the database waits', () => {
    const m = manager();
    m.request(req('a', lock(USERS, 'X')), 0);
    const onDb = m.request(req('b', lock('app', 'S')), 0).result;
    assert.equal(onDb.kind, 'queued');
    assert.deepEqual(onDb.kind === 'queued' && onDb.blockedBy.map((b) => b.owner.agent), ['a']);
  });

  it('lets X on a sibling table through, since IX is compatible with IX', () => {
    const m = manager();
    m.request(req('a', lock(USERS, 'X')), 0);
    assert.equal(m.request(req('b', lock(ORDERS, 'X')), 0).result.kind, 'granted');
  });

  it('lets IS on the database coexist with an S lock on a table, but not X on the database', () => {
    const m = manager();
    m.request(req('a', lock(USERS, 'S')), 0);
    assert.equal(m.request(req('b', lock('app', 'IS')), 0).result.kind, 'granted');
    assert.equal(m.request(req('c', lock('app', 'X')), 0).result.kind, 'queued');
  });
});

describe('row ranges', () => {
  it('grants disjoint X ranges, queues an overlapping S range and a whole-table S', () => {
    const m = manager();
    assert.equal(m.request(req('a', lock(USERS, 'X', [0, 100])), 0).result.kind, 'granted');
    assert.equal(m.request(req('b', lock(USERS, 'X', [100, 200])), 0).result.kind, 'granted');
    assert.equal(m.request(req('c', lock(USERS, 'S', [50, 60])), 0).result.kind, 'queued');
    assert.equal(m.request(req('d', lock(USERS, 'S')), 0).result.kind, 'queued');
  });

  it('grants overlapping S ranges to different owners', () => {
    const m = manager();
    m.request(req('a', lock(USERS, 'S', [0, 100])), 0);
    assert.equal(m.request(req('b', lock(USERS, 'S', [50, 150])), 0).result.kind, 'granted');
  });
});

describe('pools', () => {
  it('names the unit each grant gets and hands a released unit to the next waiter', () => {
    const m = manager();
    const a = m.request(req('a', { resource: 'testdb' }), 0).result;
    const b = m.request(req('b', { resource: 'testdb' }), 0).result;
    assert.equal(a.kind === 'granted' && a.grants[0]?.units?.[0], 'testdb#1');
    assert.equal(b.kind === 'granted' && b.grants[0]?.units?.[0], 'testdb#2');
    const c = m.request(req('c', { resource: 'testdb' }), 0).result;
    assert.equal(c.kind, 'queued');
    const rel = m.release('rsv-1', 5).result;
    assert.deepEqual(rel.released && rel.granted, ['rsv-3']);
    assert.deepEqual(m.get('rsv-3')?.grants?.[0]?.units, ['testdb#1']);
  });

  it('refuses a request for more units than the pool has', () => {
    const r = manager().request(req('a', { resource: 'testdb', units: 3 }), 0).result;
    assert.equal(r.kind === 'refused' && r.reason, 'exceeds-capacity');
    assert.match(r.kind === 'refused' ? r.message : '', /at most 2/);
  });
});

describe('rate limits', () => {
  it('spends tokens, queues when the bucket is empty and grants once it refills', () => {
    const m = manager();
    assert.equal(m.request(req('a', { resource: 'openai' }), 0).result.kind, 'granted');
    assert.equal(m.request(req('b', { resource: 'openai' }), 0).result.kind, 'granted');
    const c = m.request(req('c', { resource: 'openai' }), 0).result;
    assert.equal(c.kind, 'queued');
    assert.equal(c.kind === 'queued' && c.estimatedWaitMs, 500);
    assert.deepEqual(m.tick(499).result.granted, []);
    assert.deepEqual(m.tick(500).result.granted, [c.kind === 'queued' ? c.id : '']);
    // Rate tokens are spent, not held.
    assert.equal(m.get(c.kind === 'queued' ? c.id : '')?.status, undefined);
  });
});

describe('leases and fencing', () => {
  it('expires a lease at now >= expiresAt, grants the waiter a higher token and rejects the late holder', () => {
    const m = manager();
    const a = m.request(req('a', lock('staging'), 'P2', { leaseMs: 1000 }), 0).result;
    assert.equal(a.kind === 'granted' && a.grants[0]?.fence, 1);
    m.request(req('b', lock('staging')), 100);
    assert.deepEqual(m.renew('rsv-1', 500).result, { renewed: true, id: 'rsv-1', expiresAt: 1500 });
    assert.deepEqual(m.tick(1499).result.expired, []);
    assert.deepEqual(m.checkFence('staging', 1, 1499).result, { ok: true, holder: 'rsv-1' });
    const t = m.tick(1500);
    assert.deepEqual(t.result.expired, ['rsv-1']);
    assert.deepEqual(t.result.granted, ['rsv-2']);
    assert.equal(m.get('rsv-2')?.grants?.[0]?.fence, 2);
    const late = m.checkFence('staging', 1, 1600);
    assert.deepEqual(late.result, { ok: false, reason: 'stale', latest: 2 });
    assert.equal(late.events[0]?.type, 'reservation.fence_rejected');
    assert.deepEqual(m.checkFence('staging', 2, 1600).result, { ok: true, holder: 'rsv-2' });
  });

  it('rejects an expired holder even before the next tick, and refuses to renew it', () => {
    const m = manager();
    m.request(req('a', lock('staging'), 'P2', { leaseMs: 1000 }), 0);
    assert.deepEqual(m.checkFence('staging', 1, 1000).result, {
      ok: false,
      reason: 'expired',
      latest: 1,
    });
    const renew = m.renew('rsv-1', 1000);
    assert.deepEqual(renew.result, { renewed: false, id: 'rsv-1', reason: 'expired' });
    assert.equal(renew.events[0]?.type, 'reservation.expired');
  });

  it('force-releases everything a dead owner holds and serves the next waiter', () => {
    const m = manager();
    m.request(req('a', [lock(USERS), lock('staging')]), 0);
    m.request(req('b', lock(USERS)), 0);
    const died = m.ownerDied({ agent: 'a', workItem: 'W-a', attempt: 1 }, 10);
    assert.deepEqual(
      died.events.map((e) => e.type),
      ['reservation.released', 'reservation.granted'],
    );
  });
});

describe('queueing', () => {
  it('ages a waiting P3 ahead of a P1 that arrived after one step per level', () => {
    const m = manager();
    m.request(req('h', lock('staging')), 0);
    m.request(req('low', lock('staging'), 'P3'), 0); // key 3000
    m.request(req('high', lock('staging'), 'P1'), 2500); // key 3500
    m.release('rsv-1', 2600);
    assert.equal(m.get('rsv-2')?.status, 'held');
    const view = reservationView(m, 2600);
    assert.equal(view.waiters[0]?.owner.agent, 'high');
  });

  it('serves a P1 ahead of an earlier P3 that has not aged enough', () => {
    const m = manager();
    m.request(req('h', lock('staging')), 0);
    m.request(req('low', lock('staging'), 'P3'), 0); // key 3000
    m.request(req('high', lock('staging'), 'P1'), 1500); // key 2500
    assert.equal(reservationView(m, 1500).waiters[0]?.owner.agent, 'high');
    assert.equal(reservationView(m, 2500).waiters[1]?.effectivePriority, 'P1');
  });

  it('never lets a new compatible request overtake an earlier conflicting waiter of the same priority', () => {
    const m = manager();
    m.request(req('a', lock(USERS, 'S')), 0);
    assert.equal(m.request(req('b', lock(USERS, 'X')), 0).result.kind, 'queued');
    const c = m.request(req('c', lock(USERS, 'S')), 1).result;
    assert.equal(c.kind, 'queued');
    assert.deepEqual(c.kind === 'queued' && c.blockedBy.map((x) => x.id), ['rsv-2']);
  });

  it('lets a more urgent compatible request pass an earlier waiter', () => {
    const m = manager();
    m.request(req('a', lock(USERS, 'S')), 0);
    m.request(req('b', lock(USERS, 'X'), 'P3'), 0);
    assert.equal(m.request(req('c', lock(USERS, 'S'), 'P1'), 1).result.kind, 'granted');
  });
});

describe('priority inversion', () => {
  it('shows a P3 holder that blocks a P1 waiter as inheriting P1', () => {
    const m = manager();
    m.request(req('low', lock('staging'), 'P3'), 0);
    m.request(req('high', lock('staging'), 'P1'), 0);
    const holder = reservationView(m, 0).holders[0];
    assert.equal(holder?.priority, 'P3');
    assert.equal(holder?.inheritedPriority, 'P1');
  });

  it('passes inheritance along a chain of waits', () => {
    const m = manager({ preemption: false });
    m.request(req('c', lock(ORDERS), 'P3'), 0);
    m.request(req('b', lock(USERS), 'P3'), 0);
    m.request(
      req('b', lock(ORDERS), 'P3', { owner: { agent: 'b', workItem: 'W-b', attempt: 1 } }),
      0,
    );
    m.request(req('a', lock(USERS), 'P0'), 0);
    const view = reservationView(m, 0);
    assert.deepEqual(
      view.holders.map((h) => [h.owner.agent, h.inheritedPriority]),
      [
        ['c', 'P0'],
        ['b', 'P0'],
      ],
    );
  });

  it('lets a P0 waiter preempt a lower-priority holder, which is notified and requeued', () => {
    const m = manager();
    m.request(req('low', lock('staging'), 'P2', { checkpointAt: 0 }), 0);
    const urgent = m.request(req('urgent', lock('staging'), 'P0'), 100);
    assert.equal(urgent.result.kind, 'granted');
    assert.deepEqual(urgent.result.kind === 'granted' && urgent.result.preempted, ['rsv-1']);
    const notice = urgent.events.find((e) => e.type === 'reservation.preempted');
    assert.equal(notice?.type === 'reservation.preempted' && notice.by, 'rsv-2');
    assert.equal(m.get('rsv-1')?.status, 'waiting');
    assert.equal(m.get('rsv-1')?.requeued, 'preempted');
    assert.equal(m.checkFence('staging', 1, 150).result.ok, false);
    m.release('rsv-2', 200);
    assert.equal(m.get('rsv-1')?.status, 'held');
    assert.equal(m.get('rsv-1')?.grants?.[0]?.fence, 3);
  });

  it('does not preempt a P0 holder, nor when preemption is off', () => {
    const m = manager();
    m.request(req('a', lock('staging'), 'P0'), 0);
    assert.equal(m.request(req('b', lock('staging'), 'P0'), 0).result.kind, 'queued');
    const off = manager({ preemption: false });
    off.request(req('a', lock('staging'), 'P3'), 0);
    assert.equal(off.request(req('b', lock('staging'), 'P0'), 0).result.kind, 'queued');
  });
});

describe('all-or-nothing acquisition', () => {
  it('holds nothing until every target is free, then takes all in canonical order', () => {
    const m = manager();
    m.request(req('a', lock(ORDERS)), 0);
    const both = m.request(req('b', [lock(USERS), lock(ORDERS)]), 0).result;
    assert.equal(both.kind, 'queued');
    assert.deepEqual(
      reservationView(m, 0).holders.map((h) => h.owner.agent),
      ['a'],
    );
    assert.equal(m.snapshot().fences[USERS], undefined);
    m.release('rsv-1', 10);
    const granted = m.get('rsv-2');
    assert.deepEqual(
      granted?.grants?.map((g) => g.resource),
      [ORDERS, USERS],
    );
  });
});

describe('try-acquire', () => {
  it('reports the conflicting holder and an estimated wait from its lease, and queues nothing', () => {
    const m = manager();
    m.request(req('a', lock(USERS), 'P2', { leaseMs: 5000 }), 0);
    const t = m.tryAcquire(req('b', lock(USERS)), 1000);
    assert.equal(t.events.length, 0);
    assert.equal(t.result.kind, 'busy');
    assert.equal(t.result.kind === 'busy' && t.result.estimatedWaitMs, 4000);
    assert.deepEqual(t.result.kind === 'busy' && t.result.blockedBy.map((b) => b.owner.agent), [
      'a',
    ]);
    assert.equal(reservationView(m, 1000).waiters.length, 0);
    assert.equal(m.tryAcquire(req('c', lock(ORDERS)), 1000).result.kind, 'granted');
  });

  it('probes without changing anything, counting claims planned in the same round', () => {
    const m = manager();
    const planned = [req('x', lock(USERS))];
    assert.deepEqual(m.probe(req('y', lock(USERS)), 0), { grantable: true });
    const p = m.probe(req('y', lock(USERS)), 0, planned);
    assert.equal(p.grantable, false);
    assert.equal(m.snapshot().stats.granted, 0);
  });
});

describe('deadlocks', () => {
  it('breaks a two-owner cycle by rolling back the lower-priority owner and reports the cycle', () => {
    const m = manager();
    m.request(req('a', lock(USERS), 'P1'), 0);
    m.request(req('b', lock(ORDERS), 'P2'), 0);
    m.request(req('a', lock(ORDERS), 'P1'), 1);
    m.request(req('b', lock(USERS), 'P2'), 1);
    const t = m.tick(2);
    assert.equal(t.result.deadlocks.length, 1);
    const report = t.result.deadlocks[0]!;
    assert.deepEqual(report.cycle, ['a/W-a#1', 'b/W-b#1']);
    assert.equal(report.victim, 'b/W-b#1');
    assert.match(report.reason, /lowest priority/);
    assert.deepEqual(report.requeued, ['rsv-2', 'rsv-4']);
    assert.equal(m.get('rsv-3')?.status, 'held');
    assert.equal(m.get('rsv-2')?.requeued, 'deadlock');
    assert.equal(m.tick(3).result.deadlocks.length, 0);
  });

  it('picks the owner with the least work since its checkpoint among equal priorities', () => {
    const m = manager();
    m.request(req('a', lock(USERS), 'P2', { checkpointAt: 0 }), 0);
    m.request(req('b', lock(ORDERS), 'P2', { checkpointAt: 900 }), 0);
    m.request(req('a', lock(ORDERS), 'P2', { checkpointAt: 0 }), 1);
    m.request(req('b', lock(USERS), 'P2', { checkpointAt: 900 }), 1);
    const report = m.tick(1000).result.deadlocks[0];
    assert.equal(report?.victim, 'b/W-b#1');
    assert.match(report?.reason ?? '', /least work/);
  });

  it('finds a cycle through a queue wait even when the waiter also takes a free pool unit', () => {
    const m = manager({ preemption: false });
    m.request(req('b', lock('staging', 'X'), 'P0'), 0);
    m.request(req('a', [{ resource: 'testdb' }, lock('staging', 'IX')], 'P0'), 0); // a waits for b
    m.request(req('b', [lock('staging', 'SIX'), { resource: 'testdb' }], 'P0'), 0); // b may not overtake a
    const report = m.tick(10).result.deadlocks[0];
    assert.deepEqual(report?.cycle, ['a/W-a#1', 'b/W-b#1']);
    assert.equal(m.get('rsv-2')?.status, 'held');
  });

  it('does not let a deadlock victim preempt its way back into the cycle it broke', () => {
    const m = manager();
    m.request(req('d', lock('app', 'SIX'), 'P3'), 0);
    m.request(req('d', lock('staging', 'S'), 'P0'), 0);
    m.request(req('c', lock('staging', 'SIX'), 'P0'), 0); // c waits for d
    m.request(req('c', lock('app', 'IX'), 'P0'), 1); // preempts d's SIX: now d waits for c
    const t = m.tick(1);
    assert.equal(t.result.deadlocks.length, 1);
    assert.equal(t.result.deadlocks[0]?.victim, 'c/W-c#1');
    assert.equal(m.get('rsv-1')?.status, 'held');
    assert.equal(m.get('rsv-4')?.status, 'waiting');
    assert.deepEqual(m.tick(2).result.deadlocks, []);
  });

  it('does not mistake a pool wait for a deadlock while another unit holder can finish', () => {
    const m = manager();
    m.request(req('a', { resource: 'testdb' }), 0);
    m.request(req('b', [{ resource: 'testdb' }, lock(USERS)]), 0);
    m.request(req('a', lock(USERS)), 1); // a waits for b
    m.request(req('c', { resource: 'testdb' }), 1); // c waits for a or b
    assert.deepEqual(m.tick(2).result.deadlocks, []);
  });
});

describe('refusals', () => {
  const cases: [string, ReturnType<typeof req>, string][] = [
    ['an unknown resource', req('a', lock('nope')), 'unknown-resource'],
    ['a range on an environment', req('a', lock('staging', 'X', [0, 1])), 'invalid'],
    ['an empty range', req('a', lock(USERS, 'X', [5, 5])), 'invalid'],
    ['the same table twice', req('a', [lock(USERS), lock(USERS, 'S')]), 'self-conflict'],
    [
      'overlapping ranges of its own',
      req('a', [lock(USERS, 'X', [0, 10]), lock(USERS, 'X', [5, 20])]),
      'self-conflict',
    ],
    ['a table and its own database', req('a', [lock(USERS), lock('app')]), 'self-conflict'],
    [
      'more tokens than the bucket holds',
      req('a', { resource: 'openai', tokens: 3 }),
      'exceeds-capacity',
    ],
    ['a zero lease', req('a', lock(USERS), 'P2', { leaseMs: 0 }), 'invalid'],
  ];
  for (const [what, request, reason] of cases) {
    it(`refuses ${what} with reason ${reason}`, () => {
      const t = manager().request(request, 0);
      assert.equal(t.result.kind === 'refused' && t.result.reason, reason);
      assert.equal(t.events[0]?.type, 'reservation.refused');
    });
  }

  it('refuses a resource the agent may not reserve, and allows descendants of a granted one', () => {
    const m = manager({ access: { a: ['app.public'] } });
    assert.equal(m.request(req('a', lock('staging')), 0).result.kind === 'refused', true);
    assert.equal(m.request(req('a', lock(USERS)), 0).result.kind, 'granted');
    const other = m.request(req('b', lock(ORDERS)), 0).result;
    assert.equal(other.kind === 'refused' && other.reason, 'not-allowed');
  });

  it('refuses a reused reservation id', () => {
    const m = manager();
    m.request(req('a', lock(USERS), 'P2', { id: 'mine' }), 0);
    const again = m.request(req('b', lock(ORDERS), 'P2', { id: 'mine' }), 0).result;
    assert.equal(again.kind === 'refused' && again.reason, 'duplicate-id');
  });
});

describe('configuration', () => {
  it('rejects a table whose parent is not declared, naming it', () => {
    assert.throws(
      () =>
        ReservationManager.create({ resources: [{ id: 't', kind: 'table', parent: 'missing' }] }),
      (e: unknown) =>
        e instanceof ReservationConfigError &&
        /unknown parent "missing"/.test(e.message) &&
        e.hint !== undefined,
    );
  });

  it('rejects a schema under an environment', () => {
    assert.throws(
      () =>
        ReservationManager.create({
          resources: [
            { id: 'env', kind: 'environment' },
            { id: 's', kind: 'schema', parent: 'env' },
          ],
        }),
      /a schema cannot sit under a environment/,
    );
  });
});

describe('persistence', () => {
  it('rebuilds the same state from the events, and from a JSON snapshot', () => {
    const m = manager();
    const events = [
      ...m.request(req('a', lock(USERS), 'P2', { leaseMs: 500 }), 0).events,
      ...m.request(req('b', lock(USERS), 'P3'), 1).events,
      ...m.request(req('c', [{ resource: 'testdb' }, { resource: 'openai' }]), 2).events,
      ...m.renew('rsv-1', 100, { checkpointAt: 100 }).events,
      ...m.tick(700).events,
      ...m.checkFence(USERS, 1, 701).events,
    ];
    const replayed = ReservationManager.replay({ resources: RESOURCES, agingStepMs: 1000 }, events);
    assert.deepEqual(replayed.snapshot(), m.snapshot());
    const restored = ReservationManager.restore(JSON.parse(JSON.stringify(m.snapshot())));
    assert.deepEqual(restored.snapshot(), m.snapshot());
    assert.deepEqual(
      restored.request(req('d', lock(ORDERS)), 800).result,
      m.request(req('d', lock(ORDERS)), 800).result,
    );
  });
});
