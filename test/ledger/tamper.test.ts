/**
 * Tamper evidence, on every dialect: each kind of tampering is done with raw SQL
 * on the real tables, as someone with database access would, and verify must
 * name the first bad event and what happened to it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  canonicalJson,
  computeEventHash,
  type LedgerEvent,
  type LedgerStore,
} from '../../src/ledger/index.ts';
import { DIALECTS, databaseFor, event, type TestDatabase } from './harness.ts';

const TYPES = [
  'work_item.submitted',
  'work_item.planned',
  'pass.ready',
  'attempt.started',
  'attempt.finished',
  'pass.completed',
];

async function seeded(db: TestDatabase): Promise<{ ledger: LedgerStore; events: LedgerEvent[] }> {
  const ledger = await db.open();
  const events = await ledger.append(TYPES.map((type) => event(type)));
  return { ledger, events };
}

// Inserts an event row directly, the way a forger would.
async function insertRaw(db: TestDatabase, e: LedgerEvent): Promise<void> {
  await db.sql(
    'INSERT INTO ledger_events (seq, id, type, at, actor, work_item_id, data, idempotency_key, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    [
      e.seq,
      e.id,
      e.type,
      e.at,
      e.actor,
      e.workItemId,
      canonicalJson(e.data),
      e.idempotencyKey,
      e.prevHash,
      e.hash,
    ],
  );
}

// Moves rows with seq >= from up by one, through negative values to dodge the primary key.
async function shiftFrom(db: TestDatabase, from: number): Promise<void> {
  await db.sql('UPDATE ledger_events SET seq = -seq - 1 WHERE seq >= ?', [from]);
  await db.sql('UPDATE ledger_events SET seq = -seq WHERE seq < 0');
}

function forged(seq: number, prevHash: string): LedgerEvent {
  const body = {
    seq,
    id: `FORGED${seq}`,
    type: 'approval.decided',
    at: '2026-01-01T00:00:00.000Z',
    actor: 'mallory',
    workItemId: 'WI-1',
    data: { approved: true },
    idempotencyKey: null,
    prevHash,
  };
  return { ...body, hash: computeEventHash(body) };
}

for (const dialect of DIALECTS) {
  describe(`verify on a tampered ${dialect.name} ledger`, () => {
    it('reports an intact ledger as ok with every event checked', async (t) => {
      const db = await databaseFor(dialect, t);
      if (!db) return;
      const { ledger, events } = await seeded(db);
      const result = await ledger.verify();
      assert.deepEqual(result, { ok: true, checked: 6, head: { seq: 6, hash: events[5]?.hash } });
    });

    it('reports an empty ledger as ok', async (t) => {
      const db = await databaseFor(dialect, t);
      if (!db) return;
      const ledger = await db.open();
      const result = await ledger.verify();
      assert.equal(result.ok, true);
      assert.equal(result.checked, 0);
    });

    it('names an edited event whose content no longer matches its hash', async (t) => {
      const db = await databaseFor(dialect, t);
      if (!db) return;
      const { ledger, events } = await seeded(db);
      await db.sql('UPDATE ledger_events SET data = ? WHERE seq = 3', ['{"n":999}']);
      const result = await ledger.verify();
      assert.equal(result.ok, false);
      assert.equal(result.checked, 2);
      assert.deepEqual(pick(result.firstBad), {
        seq: 3,
        id: events[2]?.id,
        type: 'pass.ready',
        problem: 'edited',
      });
    });

    it('names an edited event even when its hash was recomputed to match', async (t) => {
      const db = await databaseFor(dialect, t);
      if (!db) return;
      const { ledger, events } = await seeded(db);
      const original = events[2] as LedgerEvent;
      const { hash: _old, ...rest } = { ...original, actor: 'mallory' };
      await db.sql('UPDATE ledger_events SET actor = ?, hash = ? WHERE seq = 3', [
        'mallory',
        computeEventHash(rest),
      ]);
      const result = await ledger.verify();
      assert.deepEqual(pick(result.firstBad), {
        seq: 3,
        id: original.id,
        type: 'pass.ready',
        problem: 'edited',
      });
    });

    it('names a deleted event in the middle by its seq', async (t) => {
      const db = await databaseFor(dialect, t);
      if (!db) return;
      const { ledger } = await seeded(db);
      await db.sql('DELETE FROM ledger_events WHERE seq = 4');
      const result = await ledger.verify();
      assert.deepEqual(pick(result.firstBad), { seq: 4, id: null, type: null, problem: 'deleted' });
      assert.match(result.firstBad?.detail ?? '', /jumps to seq 5/);
    });

    it('names the first deleted event when the tail was truncated', async (t) => {
      const db = await databaseFor(dialect, t);
      if (!db) return;
      const { ledger } = await seeded(db);
      await db.sql('DELETE FROM ledger_events WHERE seq >= 5');
      const result = await ledger.verify();
      assert.equal(result.checked, 4);
      assert.deepEqual(pick(result.firstBad), {
        seq: 5,
        id: null,
        type: null,
        problem: 'truncated',
      });
      assert.match(result.firstBad?.detail ?? '', /seq 5–6 are missing from the end/);
    });

    it('names a forged event inserted in the middle with a valid-looking hash', async (t) => {
      const db = await databaseFor(dialect, t);
      if (!db) return;
      const { ledger, events } = await seeded(db);
      await shiftFrom(db, 3);
      await insertRaw(db, forged(3, events[1]?.hash ?? ''));
      const result = await ledger.verify();
      assert.deepEqual(pick(result.firstBad), {
        seq: 3,
        id: 'FORGED3',
        type: 'approval.decided',
        problem: 'inserted',
      });
    });

    it('names an inserted event whose hash is garbage as inserted, not edited', async (t) => {
      const db = await databaseFor(dialect, t);
      if (!db) return;
      const { ledger, events } = await seeded(db);
      await shiftFrom(db, 3);
      await insertRaw(db, { ...forged(3, events[1]?.hash ?? ''), hash: 'f'.repeat(64) });
      const result = await ledger.verify();
      assert.deepEqual(pick(result.firstBad), {
        seq: 3,
        id: 'FORGED3',
        type: 'approval.decided',
        problem: 'inserted',
      });
    });

    it('names an event added after the head anchor as inserted', async (t) => {
      const db = await databaseFor(dialect, t);
      if (!db) return;
      const { ledger, events } = await seeded(db);
      await insertRaw(db, forged(7, events[5]?.hash ?? ''));
      const result = await ledger.verify();
      assert.deepEqual(pick(result.firstBad), {
        seq: 7,
        id: 'FORGED7',
        type: 'approval.decided',
        problem: 'inserted',
      });
    });

    it('names reordered events whose seq values were swapped', async (t) => {
      const db = await databaseFor(dialect, t);
      if (!db) return;
      const { ledger, events } = await seeded(db);
      await db.sql('UPDATE ledger_events SET seq = -2 WHERE seq = 2');
      await db.sql('UPDATE ledger_events SET seq = 2 WHERE seq = 5');
      await db.sql('UPDATE ledger_events SET seq = 5 WHERE seq = -2');
      const result = await ledger.verify();
      assert.equal(result.checked, 1);
      assert.deepEqual(pick(result.firstBad), {
        seq: 2,
        id: events[4]?.id,
        type: 'attempt.finished',
        problem: 'reordered',
      });
      assert.match(result.firstBad?.detail ?? '', /recorded at seq 5/);
    });

    it('reports a missing head anchor', async (t) => {
      const db = await databaseFor(dialect, t);
      if (!db) return;
      const { ledger } = await seeded(db);
      await db.sql('DELETE FROM ledger_head');
      const result = await ledger.verify();
      assert.equal(result.ok, false);
      assert.match(result.firstBad?.detail ?? '', /head anchor record is missing/);
    });
  });
}

function pick(
  b: { seq: number; id: string | null; type: string | null; problem: string } | undefined,
) {
  return b && { seq: b.seq, id: b.id, type: b.type, problem: b.problem };
}
