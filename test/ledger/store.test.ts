/**
 * The ledger store's behaviour, run against every dialect: appends and the
 * chain, atomic batches, idempotency, transactions, reads, migrations, redaction.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { InvalidInputError, LedgerError } from '../../src/core/index.ts';
import {
  computeEventHash,
  GENESIS_HASH,
  type LedgerEvent,
  REDACTED,
  SCHEMA_VERSION,
} from '../../src/ledger/index.ts';
import { DIALECTS, databaseFor, event } from './harness.ts';

for (const dialect of DIALECTS) {
  describe(`the ${dialect.name} ledger store`, () => {
    it('numbers events 1, 2, 3… and chains each hash to the previous one', async (t) => {
      const db = await databaseFor(dialect, t);
      if (!db) return;
      const ledger = await db.open();
      const first = await ledger.append([event(), event()]);
      const second = await ledger.append([event('pass.ready')]);
      const all = [...first, ...second];
      assert.deepEqual(
        all.map((e) => e.seq),
        [1, 2, 3],
      );
      assert.equal(all[0]?.prevHash, GENESIS_HASH);
      for (let i = 1; i < all.length; i++) assert.equal(all[i]?.prevHash, all[i - 1]?.hash);
      for (const e of all) {
        const { hash, ...rest } = e;
        assert.equal(computeEventHash(rest), hash);
      }
      assert.deepEqual(await ledger.head(), { seq: 3, hash: all[2]?.hash });
      assert.deepEqual(await ledger.read(), all);
    });

    it('reads back exactly what any sequence of appends returned, on one verifying chain', async (t) => {
      const db = await databaseFor(dialect, t);
      if (!db) return;
      const ledger = await db.open({ env: {} });
      const newEvent = fc.record({
        type: fc.constantFrom('work_item.submitted', 'model_call.recorded', 'budget.reserved'),
        actor: fc.string({ minLength: 1, maxLength: 20 }).filter((a) => a.trim() !== ''),
        workItemId: fc.option(fc.constantFrom('WI-1', 'WI-2', 'WI-3'), { nil: null }),
        data: fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 3 }), {
          maxKeys: 5,
        }),
        idempotencyKey: fc.option(fc.constantFrom('k1', 'k2', 'k3', 'k4'), { nil: undefined }),
      });
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.array(newEvent, { minLength: 1, maxLength: 6 }), { maxLength: 5 }),
          async (batches) => {
            const { seq: start } = await ledger.head();
            const returned = new Map<number, LedgerEvent>();
            for (const batch of batches) {
              // A reused idempotency key with another type is an error by design; keep keys per type.
              const keyed = batch.map((e) =>
                e.idempotencyKey ? { ...e, idempotencyKey: `${e.type}:${e.idempotencyKey}` } : e,
              );
              for (const e of await ledger.append(keyed)) returned.set(e.seq, e);
            }
            const stored = (await ledger.read({ afterSeq: start })).filter((e) =>
              returned.has(e.seq),
            );
            assert.deepEqual(
              stored,
              [...returned.values()].filter((e) => e.seq > start).sort((a, b) => a.seq - b.seq),
            );
            const all = await ledger.read();
            assert.deepEqual(
              all.map((e) => e.seq),
              all.map((_, i) => i + 1),
            );
            const keys = all.flatMap((e) => (e.idempotencyKey ? [e.idempotencyKey] : []));
            assert.equal(new Set(keys).size, keys.length, 'an idempotency key was recorded twice');
          },
        ),
        { numRuns: 15 },
      );
      assert.equal((await ledger.verify()).ok, true);
    });

    it('fills id, time and nulls, and keeps data exactly as given', async (t) => {
      const db = await databaseFor(dialect, t);
      if (!db) return;
      const ledger = await db.open({ now: () => new Date('2026-01-02T03:04:05.678Z') });
      const data = { title: 'Fix login', nested: { b: [1, 2.5, null, true], a: 'é' } };
      const [stored] = await ledger.append([
        { type: 'work_item.submitted', actor: 'user:ann', data },
      ]);
      assert.match(stored?.id ?? '', /^[0-9A-HJKMNP-TV-Z]{26}$/);
      assert.equal(stored?.at, '2026-01-02T03:04:05.678Z');
      assert.equal(stored?.workItemId, null);
      assert.equal(stored?.idempotencyKey, null);
      const [read] = await ledger.read();
      assert.deepEqual(read?.data, data);
    });

    it('appends a batch atomically: one invalid event leaves nothing written', async (t) => {
      const db = await databaseFor(dialect, t);
      if (!db) return;
      const ledger = await db.open();
      await ledger.append([event()]);
      await assert.rejects(
        ledger.append([event(), { type: 'Not A Type', actor: 'test' }]),
        (error: unknown) =>
          error instanceof InvalidInputError && /event #2: type "Not A Type"/.test(error.message),
      );
      await assert.rejects(
        ledger.append([event(), { ...event(), data: { when: new Date() } }]),
        /data at \$\.data\.when is not JSON/,
      );
      assert.equal(await ledger.count(), 1);
      assert.equal((await ledger.head()).seq, 1);
    });

    it('rejects a caller-chosen id that is already recorded or repeated, writing nothing', async (t) => {
      const db = await databaseFor(dialect, t);
      if (!db) return;
      const ledger = await db.open();
      await ledger.append([{ ...event(), id: 'evt-1' }]);
      await assert.rejects(
        ledger.append([event(), { ...event(), id: 'evt-1' }]),
        (error: unknown) =>
          error instanceof InvalidInputError &&
          /event id "evt-1" is already recorded \(seq 1\)/.test(error.message),
      );
      await assert.rejects(
        ledger.append([
          { ...event(), id: 'x' },
          { ...event(), id: 'x' },
        ]),
        /event id "x" appears twice in the batch/,
      );
      assert.equal(await ledger.count(), 1);
    });

    it('rolls back a transaction whose callback throws, and keeps the chain usable', async (t) => {
      const db = await databaseFor(dialect, t);
      if (!db) return;
      const ledger = await db.open();
      await assert.rejects(
        ledger.transaction(async (tx) => {
          await tx.append([event(), event()]);
          assert.equal(await tx.count(), 2);
          throw new Error('changed my mind');
        }),
        /changed my mind/,
      );
      assert.equal(await ledger.count(), 0);
      const [next] = await ledger.append([event()]);
      assert.equal(next?.seq, 1);
      assert.equal((await ledger.verify()).ok, true);
    });

    it('lets a transaction read, decide and append with what it read', async (t) => {
      const db = await databaseFor(dialect, t);
      if (!db) return;
      const ledger = await db.open();
      await ledger.append([event('work_item.submitted', { id: 'WI-1' })]);
      const assigned = await ledger.transaction(async (tx) => {
        const n = await tx.count({ types: ['work_item.submitted'] });
        const id = `WI-${n + 1}`;
        await tx.append([
          { type: 'work_item.submitted', actor: 'test', workItemId: id, data: { id } },
        ]);
        return id;
      });
      assert.equal(assigned, 'WI-2');
      const events = await ledger.read({ types: ['work_item.submitted'] });
      assert.deepEqual(
        events.map((e) => e.workItemId),
        ['WI-1', 'WI-2'],
      );
    });

    it('serialises transactions from two store handles in one process without stalling', async (t) => {
      const db = await databaseFor(dialect, t);
      if (!db) return;
      const a = await db.open();
      const b = await db.open();
      const seen = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          (i % 2 === 0 ? a : b).transaction(async (tx) => {
            const n = await tx.count();
            await tx.append([{ type: 'test.turn', actor: 'test', data: { seen: n } }]);
            return n;
          }),
        ),
      );
      // Each transaction saw a different count: none read while another was mid-way.
      assert.deepEqual(
        [...seen].sort((x, y) => x - y),
        Array.from({ length: 30 }, (_, i) => i),
      );
      assert.equal((await a.verify()).checked, 30);
    });

    it('refuses a store call nested inside a transaction instead of deadlocking', async (t) => {
      const db = await databaseFor(dialect, t);
      if (!db) return;
      const ledger = await db.open();
      await assert.rejects(
        ledger.transaction(async () => ledger.append([event()])),
        (error: unknown) =>
          error instanceof LedgerError && /inside ledger.transaction/.test(error.message),
      );
      assert.equal(await ledger.count(), 0);
    });

    it('does not append again an event whose idempotency key is recorded', async (t) => {
      const db = await databaseFor(dialect, t);
      if (!db) return;
      const ledger = await db.open();
      const call = {
        type: 'model_call.recorded',
        actor: 'engine',
        data: { tokens: 10 },
        idempotencyKey: 'call-1',
      };
      const [first] = await ledger.append([call]);
      const retried = await ledger.append([
        call,
        { ...call, idempotencyKey: 'call-2' },
        { ...call, idempotencyKey: 'call-2' },
      ]);
      assert.deepEqual(retried[0], first);
      assert.equal(retried[1]?.seq, 2);
      assert.deepEqual(retried[2], retried[1]);
      assert.equal(await ledger.count(), 2);
      await assert.rejects(
        ledger.append([{ ...call, type: 'artifact.written' }]),
        /idempotency key "call-1" is already used by a model_call.recorded event \(seq 1\), not artifact.written/,
      );
      await assert.rejects(
        ledger.append([
          { ...call, idempotencyKey: 'k3' },
          { ...call, idempotencyKey: 'k3', type: 'pass.ready' },
        ]),
        /"k3" is already used by a model_call.recorded event earlier in this batch, not pass.ready/,
      );
      assert.equal(await ledger.count(), 2);
    });

    it('reads by work item, by types and families, after a seq, with a limit, and newest first', async (t) => {
      const db = await databaseFor(dialect, t);
      if (!db) return;
      const ledger = await db.open();
      await ledger.append([
        { type: 'work_item.submitted', actor: 'a', workItemId: 'WI-1' },
        { type: 'budget.reserved', actor: 'a', workItemId: 'WI-2' },
        { type: 'pass.ready', actor: 'a', workItemId: 'WI-1' },
        { type: 'budget.released', actor: 'a', workItemId: 'WI-1' },
        { type: 'reservation.granted', actor: 'a' },
        { type: 'workxitem.look_alike', actor: 'a' },
        { type: 'work_item.completed', actor: 'a' },
      ]);
      const seqs = async (q: Parameters<typeof ledger.read>[0]) =>
        (await ledger.read(q)).map((e) => e.seq);
      assert.deepEqual(await seqs({ workItemId: 'WI-1' }), [1, 3, 4]);
      assert.deepEqual(await seqs({ types: ['budget.*'] }), [2, 4]);
      assert.deepEqual(await seqs({ types: ['pass.ready', 'reservation.*'] }), [3, 5]);
      assert.deepEqual(await seqs({ afterSeq: 3, limit: 2 }), [4, 5]);
      assert.deepEqual(await seqs({ types: ['work_item.*'] }), [1, 7]);
      assert.deepEqual(await seqs({ limit: 2 }), [1, 2]);
      assert.deepEqual(await seqs({ workItemId: 'WI-1', descending: true, limit: 1 }), [4]);
      assert.equal(await ledger.count({ workItemId: 'WI-1', types: ['budget.*'] }), 1);
      const iterated: number[] = [];
      for await (const e of ledger.iterate({ afterSeq: 1 }, 2)) iterated.push(e.seq);
      assert.deepEqual(iterated, [2, 3, 4, 5, 6, 7]);
      await assert.rejects(ledger.read({ types: ['budget%'] }), /type filter "budget%"/);
    });

    it('redacts API keys, tokens and secret environment values before they are recorded', async (t) => {
      const db = await databaseFor(dialect, t);
      if (!db) return;
      const env = { MY_SERVICE_TOKEN: 'tok-9f8e7d6c5b4a', PATH: '/usr/bin' };
      const ledger = await db.open({ env });
      const secretish = {
        openai: 'sk-proj-abcdefghijklmnopqrstuvwx',
        anthropic: 'key sk-ant-api03-abcdefghijklmnop0123 in text',
        github: ['ghp_abcdefghijklmnopqrstuvwxyz0123456789'],
        aws: 'AKIAIOSFODNN7EXAMPLE',
        header: 'Authorization: Bearer eyJhbGciOi.payload.sig',
        fromEnv: 'tok-9f8e7d6c5b4a',
        path: '/usr/bin',
      };
      await ledger.append([{ type: 'model_call.recorded', actor: 'engine', data: secretish }]);
      const raw = await db.sql('SELECT data FROM ledger_events');
      const text = String(raw[0]?.data);
      for (const leaked of [
        'sk-proj-abc',
        'sk-ant-api03',
        'ghp_abc',
        'AKIAIOSFODNN7EXAMPLE',
        'eyJhbGciOi',
        'tok-9f8e7d6c5b4a',
      ]) {
        assert.equal(text.includes(leaked), false, `${leaked} reached the ledger`);
      }
      const [stored] = await ledger.read();
      assert.deepEqual(stored?.data, {
        openai: REDACTED,
        anthropic: `key ${REDACTED} in text`,
        github: [REDACTED],
        aws: REDACTED,
        header: `Authorization: Bearer ${REDACTED}`,
        fromEnv: REDACTED,
        path: '/usr/bin',
      });
      assert.equal((await ledger.verify()).ok, true);
    });

    it('applies migrations once and reopens idempotently with the events intact', async (t) => {
      const db = await databaseFor(dialect, t);
      if (!db) return;
      const first = await db.open();
      await first.append([event(), event()]);
      await first.close();
      const again = await db.open();
      const third = await db.open();
      assert.equal(await again.schemaVersion(), SCHEMA_VERSION);
      assert.deepEqual(
        await db
          .sql('SELECT version FROM ledger_schema')
          .then((r) => r.map((x) => Number(x.version))),
        [SCHEMA_VERSION],
      );
      assert.equal(await third.count(), 2);
      assert.equal((await again.verify()).ok, true);
    });

    it('refuses a ledger written by a newer keel with a message naming both versions', async (t) => {
      const db = await databaseFor(dialect, t);
      if (!db) return;
      await (await db.open()).close();
      await db.sql('UPDATE ledger_schema SET version = ?', [SCHEMA_VERSION + 7]);
      await assert.rejects(
        db.open(),
        (error: unknown) =>
          error instanceof LedgerError &&
          error.message.includes(
            `schema version ${SCHEMA_VERSION + 7}, newer than this keel understands (${SCHEMA_VERSION})`,
          ) &&
          /upgrade keel/.test(error.hint ?? ''),
      );
    });

    it('refuses to append onto a chain whose tail no longer matches its head anchor', async (t) => {
      const db = await databaseFor(dialect, t);
      if (!db) return;
      const ledger = await db.open();
      await ledger.append([event(), event(), event()]);
      await db.sql('DELETE FROM ledger_events WHERE seq = 3');
      await assert.rejects(
        ledger.append([event()]),
        /is inconsistent: its last event \(seq 2\) does not match its head anchor \(seq 3\)/,
      );
      assert.equal(await ledger.count(), 2);
    });
  });
}
