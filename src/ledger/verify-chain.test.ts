import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { canonicalJson } from './canonical-json.ts';
import { computeEventHash, GENESIS_HASH } from './hash-chain.ts';
import { sealEvents } from './seal-events.ts';
import type { LedgerEvent, LedgerHead, TamperProblem } from './types.ts';
import { type ChainRow, ChainVerifier } from './verify-chain.ts';

function chain(length: number): ChainRow[] {
  const events = Array.from({ length }, (_, i) => ({
    type: 'test.event',
    actor: 'a',
    data: { i },
  }));
  const sealed = sealEvents(events, {
    head: { seq: 0, hash: GENESIS_HASH },
    now: () => new Date(0),
    secrets: [],
  });
  return sealed.map(({ event: { data: _data, ...rest }, dataJson }) => ({ ...rest, dataJson }));
}

function headOf(events: readonly ChainRow[]): LedgerHead {
  const last = events.at(-1);
  return last ? { seq: last.seq, hash: last.hash } : { seq: 0, hash: GENESIS_HASH };
}

function verify(rows: readonly ChainRow[], anchor: LedgerHead | undefined) {
  const sorted = [...rows].sort((a, b) => a.seq - b.seq);
  const verifier = new ChainVerifier(Math.max(0, ...sorted.map((r) => r.seq)));
  let broken = undefined as ReturnType<ChainVerifier['push']>;
  for (const row of sorted) broken ??= verifier.push(row);
  broken ??= verifier.finish(anchor);
  return { broken, checked: verifier.checked };
}

type Tamper = { kind: TamperProblem; at: number; other: number };

// Applies one tampering to a copy of the chain and says where verify must point.
function tamper(
  events: ChainRow[],
  t: Tamper,
): { rows: ChainRow[]; expectSeq: number; expect: TamperProblem } {
  const rows: ChainRow[] = events.map((e) => ({ ...e }));
  const n = rows.length;
  const at = t.at % n;
  switch (t.kind) {
    case 'edited':
      rows[at] = { ...(rows[at] as ChainRow), actor: 'mallory' };
      return { rows, expectSeq: at + 1, expect: 'edited' };
    case 'deleted':
    case 'truncated':
      if (at === n - 1 || t.kind === 'truncated')
        return { rows: rows.slice(0, at), expectSeq: at + 1, expect: 'truncated' };
      rows.splice(at, 1);
      return { rows, expectSeq: at + 1, expect: 'deleted' };
    case 'reordered': {
      const other = t.other % n;
      if (other === at) return { rows: rows.slice(0, n - 1), expectSeq: n, expect: 'truncated' };
      const [lo, hi] = at < other ? [at, other] : [other, at];
      const a = rows[lo] as ChainRow;
      const b = rows[hi] as ChainRow;
      rows[lo] = { ...b, seq: a.seq };
      rows[hi] = { ...a, seq: b.seq };
      return { rows, expectSeq: lo + 1, expect: 'reordered' };
    }
    case 'inserted': {
      const prev = rows[at - 1];
      const body = {
        seq: at + 1,
        id: 'FORGED',
        type: 'test.forged',
        at: new Date(0).toISOString(),
        actor: 'mallory',
        workItemId: null,
        idempotencyKey: null,
        prevHash: prev?.hash ?? GENESIS_HASH,
      };
      const shifted = rows.map((r, i) => (i >= at ? { ...r, seq: r.seq + 1 } : r));
      shifted.splice(at, 0, {
        ...body,
        dataJson: '{}',
        hash: computeEventHash({ ...body, data: {} }),
      });
      return { rows: shifted, expectSeq: at + 1, expect: 'inserted' };
    }
  }
}

describe('ChainVerifier', () => {
  it('hashes the envelope exactly as canonical JSON of all its fields would', () => {
    fc.assert(
      fc.property(
        fc.record({
          seq: fc.nat(),
          id: fc.string(),
          type: fc.string(),
          at: fc.string(),
          actor: fc.string(),
          workItemId: fc.option(fc.string()),
          data: fc.dictionary(fc.string(), fc.jsonValue()),
          idempotencyKey: fc.option(fc.string()),
          prevHash: fc.string(),
        }),
        (fields) => {
          const expected = createHash('sha256').update(canonicalJson(fields)).digest('hex');
          assert.equal(computeEventHash(fields as Omit<LedgerEvent, 'hash'>), expected);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('accepts an intact chain and counts every event', () => {
    const events = chain(20);
    assert.deepEqual(verify(events, headOf(events)), { broken: undefined, checked: 20 });
  });

  it('names the kind and position of any single tampering of a chain', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 25 }),
        fc.constantFrom<TamperProblem>('edited', 'deleted', 'inserted', 'reordered', 'truncated'),
        fc.nat(),
        fc.nat(),
        (length, kind, at, other) => {
          const events = chain(length);
          const { rows, expectSeq, expect } = tamper(events, { kind, at, other });
          const { broken } = verify(rows, headOf(events));
          assert.equal(broken?.problem, expect, JSON.stringify({ kind, at: at % length, broken }));
          assert.equal(broken?.seq, expectSeq);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('names events appended behind the head anchor as inserted', () => {
    const events = chain(5);
    const { broken } = verify(events, { seq: 3, hash: events[2]?.hash ?? '' });
    assert.deepEqual([broken?.problem, broken?.seq, broken?.id], ['inserted', 4, events[3]?.id]);
  });

  it('reports the last event as edited when the anchor hash differs although the chain is whole', () => {
    const events = chain(4);
    const { broken } = verify(events, { seq: 4, hash: 'a'.repeat(64) });
    assert.deepEqual([broken?.problem, broken?.seq], ['edited', 4]);
  });

  it('treats any change to the stored data text, even one that does not parse, as an edit', () => {
    const events = chain(3);
    const rows: ChainRow[] = events.map((e, i) => (i === 1 ? { ...e, dataJson: '{"i":1' } : e));
    const { broken, checked } = verify(rows, headOf(events));
    assert.deepEqual([broken?.problem, broken?.seq, checked], ['edited', 2, 1]);
  });
});
