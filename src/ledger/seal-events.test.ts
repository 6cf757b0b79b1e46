import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidInputError } from '../core/index.ts';
import { GENESIS_HASH, hashEnvelope } from './hash-chain.ts';
import { sealEvents, validateNewEvent } from './seal-events.ts';
import type { NewEvent } from './types.ts';
import { ulid } from './ulid.ts';

const ok: NewEvent = { type: 'work_item.submitted', actor: 'user:ann', data: { title: 't' } };

function rejects(event: unknown, message: RegExp): void {
  assert.throws(
    () => validateNewEvent(event as NewEvent, 2),
    (error: unknown) =>
      error instanceof InvalidInputError && message.test(error.message) && Boolean(error.hint),
  );
}

describe('validating new events', () => {
  it('accepts a minimal event and dotted types of any depth', () => {
    assert.doesNotThrow(() => validateNewEvent(ok, 0));
    assert.doesNotThrow(() => validateNewEvent({ type: 'budget.exceeded.hard', actor: 'keel' }, 0));
  });

  it('names the event and the field that is wrong', () => {
    rejects(
      { ...ok, type: 'submitted' },
      /^ledger event #3: type "submitted" is not a dotted lowercase name/,
    );
    rejects({ ...ok, type: 'Work.Item' }, /type "Work.Item"/);
    rejects({ ...ok, actor: ' ' }, /#3: actor must be a non-empty string/);
    rejects({ ...ok, data: [1, 2] }, /#3: data must be a plain JSON object/);
    rejects({ ...ok, workItemId: 7 }, /#3: workItemId must be a non-empty string or null/);
    rejects(
      { ...ok, at: '2026-01-02 03:04:05' },
      /#3: at "2026-01-02 03:04:05" is not ISO-8601 UTC/,
    );
    rejects({ ...ok, at: '2026-99-02T03:04:05Z' }, /is not ISO-8601 UTC/);
    rejects({ ...ok, idempotencyKey: '' }, /#3: idempotencyKey must be a non-empty string/);
    rejects(null, /#3: is not an object/);
  });
});

describe('sealing events', () => {
  it('numbers events after the head, chains them, and redacts before hashing', () => {
    const head = { seq: 41, hash: 'a'.repeat(64) };
    const sealed = sealEvents(
      [
        { ...ok, data: { key: 'hunter2-hunter2' } },
        { ...ok, at: '2026-01-01T00:00:00Z', id: 'mine', idempotencyKey: 'k' },
      ],
      { head, now: () => new Date('2026-05-05T05:05:05.005Z'), secrets: ['hunter2-hunter2'] },
    );
    const [first, second] = sealed.map((s) => s.event);
    assert.deepEqual([first?.seq, second?.seq], [42, 43]);
    assert.equal(first?.prevHash, head.hash);
    assert.equal(second?.prevHash, first?.hash);
    assert.equal(first?.at, '2026-05-05T05:05:05.005Z');
    assert.deepEqual(first?.data, { key: '[REDACTED]' });
    assert.equal(sealed[0]?.dataJson, '{"key":"[REDACTED]"}');
    assert.deepEqual([second?.id, second?.idempotencyKey, second?.workItemId], ['mine', 'k', null]);
    for (const { event, dataJson } of sealed)
      assert.equal(hashEnvelope(event, dataJson), event.hash);
  });

  it('starts a fresh ledger from the genesis hash', () => {
    const [only] = sealEvents([ok], {
      head: { seq: 0, hash: GENESIS_HASH },
      now: () => new Date(),
      secrets: [],
    });
    assert.deepEqual([only?.event.seq, only?.event.prevHash], [1, GENESIS_HASH]);
  });
});

describe('ulid', () => {
  it('makes 26-character Crockford ids that sort by time and do not repeat', () => {
    const a = ulid(1_700_000_000_000);
    const b = ulid(1_700_000_000_001);
    assert.match(a, /^[0-9A-HJKMNP-TV-Z]{26}$/);
    assert.ok(a < b);
    const many = new Set(Array.from({ length: 5000 }, () => ulid(1_700_000_000_000)));
    assert.equal(many.size, 5000);
  });
});
