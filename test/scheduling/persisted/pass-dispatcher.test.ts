/** The dispatcher the engine goes through: pool slots, all-or-nothing resources, re-planning, recorded waits, fencing. */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { LedgerStore } from '../../../src/ledger/index.ts';
import { type PassCandidate, PassDispatcher } from '../../../src/scheduling/index.ts';
import { CONFIG, manualClock, open, tempLedgerPath } from './fixtures.ts';

function cand(
  workItem: string,
  pass: string,
  resources: PassCandidate['resources'] = [],
): PassCandidate {
  return {
    workItem,
    pass,
    attempt: 1,
    agent: 'author',
    team: 'core',
    project: 'demo',
    priority: 'P2',
    runtime: 'llm',
    resources,
  };
}
const DB = [{ id: 'staging', mode: 'X' as const }];

describe('the pass dispatcher', () => {
  let tmp: ReturnType<typeof tempLedgerPath>;
  let ledger: LedgerStore;
  beforeEach(async () => {
    tmp = tempLedgerPath();
    ledger = await open(tmp.path);
  });
  afterEach(async () => {
    await ledger.close();
    tmp.cleanup();
  });

  it('re-plans around a busy resource: the slot goes to work that does not need it, and the wait is recorded', async () => {
    const clock = manualClock();
    const d = await PassDispatcher.open({
      ledger,
      reservations: CONFIG,
      pools: [{ id: 'local', slots: 2 }],
      now: clock.now,
    });
    const offered = [
      cand('WI-1', 'migrate', DB),
      cand('WI-2', 'migrate', DB),
      cand('WI-2', 'docs'),
    ];
    const first = await d.admit(offered);
    assert.deepEqual(
      first.map((a) => a.id),
      ['WI-1/migrate#1', 'WI-2/docs#1'],
    );
    assert.equal(first[0]?.grants[0]?.fence, 1);
    const started = await ledger.read({ types: ['wait.started'] });
    assert.deepEqual(
      started.map((e) => [e.workItemId, e.data.reason, e.data.pass, e.data.detail]),
      [['WI-2', 'resource', 'migrate', 'busy: staging']],
    );
    clock.advance(1500);
    await d.finish('WI-1/migrate#1');
    const second = await d.admit([cand('WI-2', 'migrate', DB)]);
    assert.deepEqual(
      second.map((a) => [a.id, a.grants[0]?.fence]),
      [['WI-2/migrate#1', 2]],
    );
    const ended = await ledger.read({ types: ['wait.ended'] });
    assert.deepEqual(
      ended.map((e) => [e.workItemId, e.data.waitId]),
      [['WI-2', started[0]?.data.waitId]],
    );
    assert.equal(Date.parse(ended[0]?.at ?? '') - Date.parse(started[0]?.at ?? ''), 1500);
    const types = (await ledger.read({ types: ['reservation.*'] })).map((e) => e.type);
    assert.deepEqual(types, ['reservation.granted', 'reservation.released', 'reservation.granted']);
  });

  it('records a pool wait when every slot is taken, and ends it when a slot frees', async () => {
    const clock = manualClock();
    const d = await PassDispatcher.open({
      ledger,
      reservations: CONFIG,
      pools: [{ id: 'local', slots: 1 }],
      now: clock.now,
    });
    const a = cand('WI-1', 'spec');
    const b = cand('WI-2', 'spec');
    assert.deepEqual(
      (await d.admit([a, b])).map((x) => x.id),
      ['WI-1/spec#1'],
    );
    const started = await ledger.read({ types: ['wait.started'] });
    assert.deepEqual(
      started.map((e) => [e.workItemId, e.data.reason]),
      [['WI-2', 'pool']],
    );
    // Nothing frees: asking again records nothing new.
    assert.deepEqual(await d.admit([b]), []);
    assert.equal(await ledger.count({ types: ['wait.*'] }), 1);
    await d.finish('WI-1/spec#1');
    assert.deepEqual(
      (await d.admit([b])).map((x) => x.id),
      ['WI-2/spec#1'],
    );
    assert.equal(await ledger.count({ types: ['wait.ended'] }), 1);
  });

  it('refuses the commit of an attempt whose lease expired and whose resource went to another, recording the rejection', async () => {
    const clock = manualClock();
    const d = await PassDispatcher.open({
      ledger,
      reservations: CONFIG,
      pools: [{ id: 'local', slots: 2 }],
      leaseMs: 1000,
      now: clock.now,
    });
    await d.admit([cand('WI-1', 'migrate', DB)]);
    assert.equal(await d.checkFences('WI-1/migrate#1'), null);
    clock.advance(400);
    assert.equal((await d.heartbeat('WI-1/migrate#1'))?.renewed, true);
    clock.advance(1400); // no heartbeat: the holder looks hung
    const next = await d.admit([cand('WI-2', 'migrate', DB)]);
    assert.deepEqual(
      next.map((a) => a.id),
      ['WI-2/migrate#1'],
    );
    const refused = await d.checkFences('WI-1/migrate#1');
    assert.match(
      refused ?? '',
      /reservation of staging is no longer valid \(fencing token 1 stale; latest 2\)/,
    );
    assert.equal(await d.checkFences('WI-2/migrate#1'), null);
    const rejected = await ledger.read({ types: ['reservation.fence_rejected'] });
    assert.deepEqual(
      rejected.map((e) => [e.data.resource, e.data.token, e.data.reason]),
      [['staging', 1, 'stale']],
    );
    // Finishing the late attempt releases nothing of the new holder's.
    await d.finish('WI-1/migrate#1');
    assert.equal(await d.checkFences('WI-2/migrate#1'), null);
  });

  it('after a restart releases what finished attempts still held and ends the waits left open', async () => {
    const clock = manualClock();
    const d = await PassDispatcher.open({
      ledger,
      reservations: CONFIG,
      pools: [{ id: 'local', slots: 2 }],
      now: clock.now,
    });
    await d.admit([cand('WI-1', 'migrate', DB), cand('WI-2', 'migrate', DB)]);
    // The engine died here; the attempt was later closed as interrupted.
    await ledger.append([
      {
        type: 'attempt.finished',
        actor: 'keel',
        workItemId: 'WI-1',
        data: { pass: 'migrate', attempt: 1, outcome: 'interrupted' },
      },
    ]);
    clock.advance(100);
    const again = await PassDispatcher.open({
      ledger,
      reservations: CONFIG,
      pools: [{ id: 'local', slots: 2 }],
      now: clock.now,
    });
    assert.equal((await again.reservations.view()).holders.length, 0);
    const admitted = await again.admit([cand('WI-2', 'migrate', DB)]);
    assert.deepEqual(
      admitted.map((a) => a.id),
      ['WI-2/migrate#1'],
    );
    assert.equal(await ledger.count({ types: ['wait.started'] }), 1);
    assert.equal(await ledger.count({ types: ['wait.ended'] }), 1);
  });

  it('does not fence rate-limit tokens, which are spent at grant and never held', async () => {
    const clock = manualClock();
    const d = await PassDispatcher.open({
      ledger,
      reservations: {
        resources: [
          ...CONFIG.resources,
          { id: 'api', kind: 'rate', requests: 5, periodMs: 60_000 },
        ],
      },
      pools: [{ id: 'local', slots: 2 }],
      now: clock.now,
    });
    const [a] = await d.admit([cand('WI-1', 'integrate', [{ id: 'api', mode: 'X' }])]);
    assert.equal(a?.grants[0]?.resource, 'api');
    assert.equal(await d.checkFences('WI-1/integrate#1'), null);
    await d.finish('WI-1/integrate#1');
    assert.equal(await ledger.count({ types: ['reservation.fence_rejected'] }), 0);
  });

  it('stops with a clear error instead of waiting forever for a runtime no pool runs or a resource it may never have', async () => {
    const d = await PassDispatcher.open({
      ledger,
      reservations: { ...CONFIG, access: { author: ['testdb'] } },
      pools: [{ id: 'gpu', slots: 1, runtimes: ['command'] }],
    });
    await assert.rejects(
      d.admit([cand('WI-1', 'spec')]),
      /no pool can run pass spec of WI-1: none offers runtime llm/,
    );
    const e = await PassDispatcher.open({
      ledger,
      reservations: { ...CONFIG, access: { author: ['testdb'] } },
      pools: [{ id: 'local', slots: 1 }],
    });
    await assert.rejects(
      e.admit([cand('WI-1', 'migrate', DB)]),
      /pass WI-1\/migrate#1 can never get its resources: refused \(not-allowed\)/,
    );
    assert.equal(await ledger.count({ types: ['wait.*'] }), 0);
  });
});
