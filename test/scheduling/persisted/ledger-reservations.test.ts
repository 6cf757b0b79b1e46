/** The reservation manager persisted in the ledger: round-trip, restart equality, leases and fencing. */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { LedgerStore } from '../../../src/ledger/index.ts';
import {
  LedgerReservations,
  ReservationManager,
  ReservationReplayError,
  type ReservationRequest,
} from '../../../src/scheduling/index.ts';
import { CONFIG, manualClock, open, tempLedgerPath } from './fixtures.ts';

function req(
  agent: string,
  resource: string,
  extra: Partial<ReservationRequest> = {},
): ReservationRequest {
  return {
    owner: { agent, workItem: `WI-${agent}`, attempt: 1 },
    priority: 'P2',
    targets: [{ resource, mode: 'X' }],
    leaseMs: 10_000,
    ...extra,
  };
}

describe('reservations persisted in the ledger', () => {
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

  it('records every outcome as a reservation event attributed to the owner’s work item', async () => {
    const clock = manualClock();
    const r = await LedgerReservations.open(ledger, { config: CONFIG, now: clock.now });
    const a = await r.request(req('a', 'staging'));
    const b = await r.request(req('b', 'staging'));
    const bad = await r.request(req('c', 'nowhere'));
    assert.equal(a.kind, 'granted');
    assert.equal(b.kind, 'queued');
    assert.equal(bad.kind, 'refused');
    await r.release(a.kind === 'granted' ? a.id : '');
    const events = await ledger.read({ types: ['reservation.*'] });
    assert.deepEqual(
      events.map((e) => [e.type, e.workItemId]),
      [
        ['reservation.granted', 'WI-a'],
        ['reservation.queued', 'WI-b'],
        ['reservation.refused', 'WI-c'],
        ['reservation.released', 'WI-a'],
        ['reservation.granted', 'WI-b'],
      ],
    );
    assert.equal(events[0]?.at, new Date(clock.now()).toISOString());
  });

  it('rebuilds the same state after a restart: leases keep their expiry and waiters their order', async () => {
    const clock = manualClock();
    const r = await LedgerReservations.open(ledger, { config: CONFIG, now: clock.now });
    await r.request(req('a', 'app.public.users'));
    clock.advance(100);
    await r.request(req('b', 'app.public', { targets: [{ resource: 'app.public', mode: 'S' }] }));
    clock.advance(100);
    await r.request(req('c', 'app', { priority: 'P1' }));
    await r.request(req('d', 'testdb', { targets: [{ resource: 'testdb', units: 2 }] }));
    await r.request(req('e', 'testdb', { targets: [{ resource: 'testdb' }] }));
    clock.advance(50);
    const held = Object.values(r.manager.snapshot().reservations).find(
      (x) => x.owner.agent === 'a',
    );
    await r.renew(held?.id ?? '', { leaseMs: 30_000 });
    const before = r.manager.snapshot();
    await ledger.close();

    ledger = await open(tmp.path);
    const reopened = await LedgerReservations.open(ledger, { config: CONFIG, now: clock.now });
    assert.deepEqual(reopened.manager.snapshot(), before);
    const view = await reopened.view();
    assert.deepEqual(
      view.waiters.map((w) => w.owner.agent),
      ['c', 'b', 'e'], // c is P1: its aging key puts it ahead of the earlier P2
    );
    assert.equal(view.holders.find((h) => h.owner.agent === 'a')?.expiresAt, clock.now() + 30_000);
    // The replay of the ledger's events equals a manager fed the same events in memory.
    const events = (await ledger.read({ types: ['reservation.*'] })).map((e) => ({
      ...(e.data as object),
      type: e.type,
    }));
    assert.deepEqual(ReservationManager.replay(CONFIG, events as never).snapshot(), before);
  });

  it('lets two handles on one ledger see each other’s grants before deciding', async () => {
    const clock = manualClock();
    const one = await LedgerReservations.open(ledger, { config: CONFIG, now: clock.now });
    const two = await LedgerReservations.open(ledger, { config: CONFIG, now: clock.now });
    const first = await one.tryAcquire(req('a', 'staging'));
    const second = await two.tryAcquire(req('b', 'staging'));
    assert.equal(first.kind, 'granted');
    assert.equal(second.kind, 'busy');
    await one.release(first.kind === 'granted' ? first.id : '');
    const third = await two.tryAcquire(req('b', 'staging'));
    assert.equal(third.kind, 'granted');
    if (first.kind === 'granted' && third.kind === 'granted') {
      assert.ok((third.grants[0]?.fence ?? 0) > (first.grants[0]?.fence ?? 0));
    }
    // `one` has not looked since its release; a refresh brings in `two`'s grant.
    assert.deepEqual(one.manager.snapshot().fences, { staging: 1 });
    await one.refresh();
    assert.deepEqual(one.manager.snapshot().fences, { staging: 2 });
    assert.deepEqual(one.manager.snapshot(), two.manager.snapshot());
  });

  it('expires a lease that was not renewed and refuses the late holder’s fencing token, recording it', async () => {
    const clock = manualClock();
    const r = await LedgerReservations.open(ledger, { config: CONFIG, now: clock.now });
    const a = await r.request(req('a', 'staging'));
    assert.equal(a.kind, 'granted');
    const token = a.kind === 'granted' ? (a.grants[0]?.fence ?? 0) : 0;
    assert.deepEqual(await r.checkFence('staging', token), {
      ok: true,
      holder: a.kind === 'granted' ? a.id : '',
    });
    clock.advance(10_000);
    const b = await r.request(req('b', 'staging'));
    assert.equal(b.kind, 'queued');
    const tick = await r.tick();
    assert.equal(tick.expired.length, 1);
    assert.equal(tick.granted.length, 1);
    const late = await r.checkFence('staging', token);
    assert.deepEqual(late, { ok: false, reason: 'stale', latest: token + 1 });
    const renewed = await r.renew(a.kind === 'granted' ? a.id : '');
    assert.equal(renewed.renewed, false);

    await ledger.close();
    ledger = await open(tmp.path);
    const types = (await ledger.read({ types: ['reservation.*'] })).map((e) => e.type);
    assert.deepEqual(types, [
      'reservation.granted',
      'reservation.queued',
      'reservation.expired',
      'reservation.granted',
      'reservation.fence_rejected',
    ]);
    const reopened = await LedgerReservations.open(ledger, { config: CONFIG, now: clock.now });
    assert.equal(reopened.manager.snapshot().stats.fenceRejected, 1);
  });

  it('force-releases a dead owner’s holds and serves the next waiter', async () => {
    const clock = manualClock();
    const r = await LedgerReservations.open(ledger, { config: CONFIG, now: clock.now });
    await r.request(req('a', 'staging'));
    const b = await r.request(req('b', 'staging'));
    const out = await r.ownerDied({ agent: 'a', workItem: 'WI-a', attempt: 1 });
    assert.equal(out.length, 1);
    assert.deepEqual(out[0]?.released && out[0].granted, [b.kind === 'queued' ? b.id : '']);
  });

  it('rolls nothing into the ledger when the caller’s decision throws, and recovers on the next call', async () => {
    const clock = manualClock();
    const r = await LedgerReservations.open(ledger, { config: CONFIG, now: clock.now });
    await assert.rejects(
      r.decide((m, now) => {
        m.request(req('a', 'staging'), now);
        throw new Error('boom');
      }),
      /boom/,
    );
    assert.equal(await ledger.count({ types: ['reservation.*'] }), 0);
    const again = await r.request(req('b', 'staging'));
    assert.equal(again.kind, 'granted');
  });

  it('names the event and the likely cause when recorded events do not fit the state', async () => {
    const clock = manualClock();
    await ledger.append([
      {
        type: 'reservation.released',
        actor: 'keel',
        data: { at: 1, id: 'rsv-9', reason: 'released' },
      },
    ]);
    await assert.rejects(
      LedgerReservations.open(ledger, { config: CONFIG, now: clock.now }),
      (e: unknown) =>
        e instanceof ReservationReplayError &&
        /#1 \(reservation\.released\)/.test(e.message) &&
        /rsv-9/.test(e.message),
    );
  });

  it('breaks a deadlock on tick, records it, and shows it again after a restart', async () => {
    const clock = manualClock();
    const r = await LedgerReservations.open(ledger, { config: CONFIG, now: clock.now });
    await r.request(req('a', 'app.public.users'));
    await r.request(req('b', 'staging'));
    clock.advance(10);
    await r.request(req('a', 'staging', { id: 'a-wants-staging' }));
    await r.request(req('b', 'app.public.users', { id: 'b-wants-users' }));
    const tick = await r.tick();
    assert.equal(tick.deadlocks.length, 1);
    const before = await r.view();
    await ledger.close();
    ledger = await open(tmp.path);
    const reopened = await LedgerReservations.open(ledger, { config: CONFIG, now: clock.now });
    const after = await reopened.view();
    assert.equal(after.deadlocks.resolved, 1);
    assert.deepEqual(after, before);
    assert.equal(await ledger.count({ types: ['reservation.deadlock_resolved'] }), 1);
  });
});
