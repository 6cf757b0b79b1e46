/** Scenario tests of the scheduler core: ordering, fair share, re-planning, fit and wait records. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Priority } from '../../src/core/index.ts';
import {
  type ReadyPass,
  ReservationConfigError,
  reservationCheck,
  Scheduler,
  type SchedulerConfig,
} from '../../src/scheduling/index.ts';
import { lock, manager, req } from './fixtures.ts';

function pass(id: string, extra: Partial<ReadyPass> = {}): ReadyPass {
  return {
    id,
    workItem: `WI-${id}`,
    pass: 'implement',
    attempt: 1,
    team: 'core',
    project: 'keel',
    priority: 'P2',
    readyAt: 0,
    runtime: 'llm',
    ...extra,
  };
}

function scheduler(slots = 1, extra: Partial<SchedulerConfig> = {}): Scheduler {
  return Scheduler.create({ pools: [{ id: 'local', slots }], agingStepMs: 1000, ...extra });
}

describe('scheduler ordering', () => {
  it('dispatches by priority, then by readiness', () => {
    const s = scheduler(2);
    s.enqueue(pass('late-p2', { readyAt: 5 }));
    s.enqueue(pass('p3', { priority: 'P3', readyAt: 0 }));
    s.enqueue(pass('p0', { priority: 'P0', readyAt: 9 }));
    s.enqueue(pass('early-p2', { readyAt: 1 }));
    assert.deepEqual(
      s.decide(10).dispatch.map((d) => d.pass),
      ['p0', 'early-p2'],
    );
  });

  it('ages a long-waiting P3 up to the level of a fresh P1', () => {
    const s = scheduler(1);
    s.enqueue(pass('old-p3', { priority: 'P3', readyAt: 0 }));
    s.enqueue(pass('new-p1', { priority: 'P1', readyAt: 2500 }));
    const d = s.decide(2500).dispatch[0];
    assert.equal(d?.pass, 'old-p3');
    assert.equal(d?.effectivePriority, 'P1');
    // Before the P1 is ready, only the P3 (aged one level) can go.
    assert.deepEqual(
      s.decide(1500).dispatch.map((x) => [x.pass, x.effectivePriority]),
      [['old-p3', 'P2']],
    );
  });
});

describe('fair share', () => {
  it('gives two teams slots in proportion to their weights', () => {
    const s = scheduler(3, { teamWeights: { a: 2, b: 1 } });
    for (let i = 0; i < 200; i++) {
      s.enqueue(pass(`a${i}`, { team: 'a', readyAt: i }));
      s.enqueue(pass(`b${i}`, { team: 'b', readyAt: i }));
    }
    const count: Record<string, number> = { a: 0, b: 0 };
    for (let round = 0; round < 30; round++) {
      const d = s.decide(1000);
      s.commit(d);
      for (const x of d.dispatch) {
        count[x.pass.startsWith('a') ? 'a' : 'b']!++;
        s.complete(x.pass);
      }
    }
    assert.equal(count.a! + count.b!, 90);
    assert.ok(Math.abs(count.a! - 60) <= 1, `team a got ${count.a}`);
  });

  it('shares a team between its projects and gives an idle team no burst credit', () => {
    const s = scheduler(1);
    for (let i = 0; i < 10; i++) s.enqueue(pass(`x${i}`, { project: 'x', readyAt: i }));
    for (let i = 0; i < 10; i++) s.enqueue(pass(`y${i}`, { project: 'y', readyAt: 100 + i }));
    const order: string[] = [];
    for (let round = 0; round < 4; round++) {
      const d = s.decide(200);
      s.commit(d);
      for (const x of d.dispatch) {
        order.push(x.pass);
        s.complete(x.pass);
      }
    }
    assert.deepEqual(order, ['x0', 'y0', 'x1', 'y1']);
    // Team "late" joins after "core" used 4 slots; it alternates instead of taking 4 in a row.
    for (let i = 0; i < 4; i++) s.enqueue(pass(`late${i}`, { team: 'late', readyAt: 300 + i }));
    const next: string[] = [];
    for (let round = 0; round < 4; round++) {
      const d = s.decide(400);
      s.commit(d);
      for (const x of d.dispatch) {
        next.push(x.pass.replace(/\d+$/, ''));
        s.complete(x.pass);
      }
    }
    assert.deepEqual(next, ['late', 'x', 'late', 'y']);
  });
});

describe('re-planning', () => {
  it('dispatches other ready work when the best pass needs a busy resource, and records why it waits', () => {
    const m = manager();
    m.request(req('someone', lock('staging'), 'P2', { leaseMs: 60_000 }), 0);
    const s = scheduler(1);
    s.enqueue(pass('deploy', { priority: 'P0', resources: [lock('staging')] }));
    s.enqueue(pass('docs', { priority: 'P3' }));
    const d = s.decide(100, { resources: reservationCheck(m) });
    assert.deepEqual(
      d.dispatch.map((x) => x.pass),
      ['docs'],
    );
    assert.deepEqual(d.idle, {});
    const wait = d.waits.find((w) => w.pass === 'deploy');
    assert.equal(wait?.reason, 'resource');
    assert.match(wait?.detail ?? '', /staging/);
    assert.equal(wait?.since, 100);
  });

  it('reuses a busy answer for the same targets only for passes of other owners than the holder', () => {
    const m = manager();
    m.request(
      {
        owner: { agent: 'implement', workItem: 'WI-a', attempt: 1 },
        priority: 'P2',
        targets: [lock('staging')],
        leaseMs: 60_000,
      },
      0,
    );
    const s = scheduler(3);
    s.enqueue(pass('b', { priority: 'P0', resources: [lock('staging')] }));
    s.enqueue(pass('c', { priority: 'P1', resources: [lock('staging')] }));
    s.enqueue(pass('a', { priority: 'P3', resources: [lock('staging')] }));
    const d = s.decide(10, { resources: reservationCheck(m) });
    assert.deepEqual(
      d.dispatch.map((x) => x.pass),
      ['a'],
    );
    assert.deepEqual(d.waits.map((w) => [w.pass, w.reason]).sort(), [
      ['b', 'resource'],
      ['c', 'resource'],
    ]);
  });

  it('does not plan two passes onto one exclusive resource in the same round', () => {
    const m = manager();
    const s = scheduler(2);
    s.enqueue(pass('one', { resources: [lock('staging')] }));
    s.enqueue(pass('two', { resources: [lock('staging')], readyAt: 1 }));
    const d = s.decide(10, { resources: reservationCheck(m) });
    assert.deepEqual(
      d.dispatch.map((x) => x.pass),
      ['one'],
    );
    assert.equal(d.idle.local, 1);
    assert.equal(d.waits[0]?.reason, 'resource');
  });
});

describe('pool fit', () => {
  it('sends a pass only to a pool with its labels and runtime, and explains a pass no pool can run', () => {
    const s = Scheduler.create({
      pools: [
        { id: 'cpu', slots: 2, runtimes: ['llm', 'command'] },
        { id: 'gpu', slots: 1, labels: ['gpu'], runtimes: ['llm'] },
      ],
    });
    s.enqueue(pass('train', { labels: ['gpu'], priority: 'P3' }));
    s.enqueue(pass('lint', { runtime: 'command' }));
    s.enqueue(pass('review', { runtime: 'human', priority: 'P0' }));
    const d = s.decide(10);
    assert.deepEqual(
      d.dispatch.map((x) => [x.pass, x.pool]),
      [
        ['lint', 'cpu'],
        ['train', 'gpu'],
      ],
    );
    assert.match(s.waits.get('review')?.detail ?? '', /no pool offers runtime human/);
    assert.equal(d.idle.cpu, 1);
  });
});

describe('wait records', () => {
  it('records each wait with its reason and start so its duration can be measured', () => {
    const s = scheduler(1);
    s.enqueue(pass('p', { readyAt: 0 }));
    let approved = false;
    const budget = () =>
      approved
        ? { ok: true as const }
        : { ok: false as const, reason: 'human' as const, detail: 'needs approval over $50' };
    const first = s.decide(100, { budget });
    s.commit(first);
    assert.deepEqual(first.waits, [
      { pass: 'p', reason: 'human', detail: 'needs approval over $50', since: 100 },
    ]);
    assert.deepEqual(first.ended, [
      {
        pass: 'p',
        reason: 'pool',
        detail: 'waiting for a free slot',
        since: 0,
        until: 100,
        durationMs: 100,
      },
    ]);
    const again = s.decide(200, { budget });
    assert.deepEqual(again.waits, [], 'an unchanged wait is not restarted');
    approved = true;
    const go = s.decide(500, { budget });
    assert.deepEqual(
      go.dispatch.map((x) => [x.pass, x.waitedMs]),
      [['p', 500]],
    );
    assert.deepEqual(go.ended[0], {
      pass: 'p',
      reason: 'human',
      detail: 'needs approval over $50',
      since: 100,
      until: 500,
      durationMs: 400,
    });
  });

  it('records a budget wait apart from a human one', () => {
    const s = scheduler(1);
    s.enqueue(pass('p'));
    const d = s.decide(1, {
      budget: () => ({ ok: false, reason: 'budget', detail: 'team over its monthly limit' }),
    });
    assert.equal(d.waits[0]?.reason, 'budget');
    assert.equal(d.dispatch.length, 0);
  });
});

describe('scheduler state', () => {
  it('restores from a JSON snapshot and decides the same', () => {
    const s = scheduler(2, { teamWeights: { a: 3 } });
    const priorities: Priority[] = ['P0', 'P1', 'P2', 'P3'];
    for (let i = 0; i < 40; i++) {
      s.enqueue(
        pass(`p${i}`, { team: i % 2 ? 'a' : 'b', priority: priorities[i % 4]!, readyAt: i }),
      );
    }
    s.commit(s.decide(50));
    const copy = Scheduler.restore(JSON.parse(JSON.stringify(s.snapshot())));
    assert.deepEqual(copy.snapshot(), s.snapshot());
    assert.deepEqual(copy.decide(60), s.decide(60));
  });

  it('rejects a pool without slots and a duplicate pass, naming them', () => {
    assert.throws(
      () => Scheduler.create({ pools: [{ id: 'x', slots: 0 }] }),
      ReservationConfigError,
    );
    const s = scheduler(1);
    s.enqueue(pass('dup'));
    assert.throws(() => s.enqueue(pass('dup')), /"dup" is already queued/);
  });
});
