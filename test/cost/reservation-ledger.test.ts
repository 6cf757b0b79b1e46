import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  committedMicros,
  createLedger,
  type LedgerState,
  recover,
  release,
  reserve,
  settle,
} from '../../src/cost/index.ts';

const budgets = [
  { id: 'org', limitMicros: 1_000_000, hardCap: false },
  { id: 'team', limitMicros: 400_000, hardCap: false },
  { id: 'item', limitMicros: 150_000, hardCap: true },
];

describe('the reservation ledger', () => {
  it('reserves against every enclosing budget or none', () => {
    let s = createLedger(budgets);
    const ok = reserve(s, { id: 'r1', budgetIds: ['org', 'team', 'item'], amountMicros: 100_000 });
    assert.ok(ok.ok);
    s = ok.state;
    const refused = reserve(s, {
      id: 'r2',
      budgetIds: ['org', 'team', 'item'],
      amountMicros: 60_000,
    });
    assert.equal(refused.ok, false);
    assert.deepEqual(refused.ok ? [] : refused.refusedBy, ['item']);
    // Nothing of the refused reservation was taken from the budgets that had room.
    assert.equal(committedMicros(refused.state, 'org'), 100_000);
    assert.equal(committedMicros(refused.state, 'team'), 100_000);
  });

  it('settles the actual cost in place of the estimate and records the shortfall', () => {
    const r = reserve(createLedger(budgets), { id: 'r1', budgetIds: ['team'], amountMicros: 100 });
    assert.ok(r.ok);
    const { state } = settle(r.state, 'r1', 130);
    assert.deepEqual(state.accounts.team, {
      settledMicros: 130,
      reservedMicros: 0,
      excessMicros: 30,
      approvedMicros: 0,
    });
  });

  it('refuses to settle a negative or fractional cost', () => {
    const r = reserve(createLedger(budgets), { id: 'r1', budgetIds: ['team'], amountMicros: 100 });
    assert.ok(r.ok);
    assert.throws(() => settle(r.state, 'r1', -1), /not a non-negative integer/);
    assert.throws(() => settle(r.state, 'r1', 1.5), /not a non-negative integer/);
  });

  it('reports an overrun when a hard-capped call costs more than its reservation allowed', () => {
    const r = reserve(createLedger(budgets), {
      id: 'r1',
      budgetIds: ['item'],
      amountMicros: 150_000,
    });
    assert.ok(r.ok);
    assert.deepEqual(settle(r.state, 'r1', 150_001).overrunBy, ['item']);
  });

  it('lets an approval take a soft budget past its limit but never a hard cap', () => {
    const s = createLedger(budgets);
    const soft = reserve(s, {
      id: 'r1',
      budgetIds: ['team'],
      amountMicros: 500_000,
      approved: true,
    });
    assert.ok(soft.ok);
    assert.equal(soft.state.accounts.team?.approvedMicros, 100_000);
    assert.equal(
      reserve(s, { id: 'r2', budgetIds: ['item'], amountMicros: 200_000, approved: true }).ok,
      false,
    );
  });

  it('releases the reservations of dispatches that died, on recovery', () => {
    let s = createLedger(budgets);
    for (const id of ['a', 'b', 'c']) {
      const r = reserve(s, { id, budgetIds: ['org'], amountMicros: 10 });
      assert.ok(r.ok);
      s = r.state;
    }
    s = recover(s, new Set(['b']));
    assert.deepEqual(Object.keys(s.reservations), ['b']);
    assert.equal(committedMicros(s, 'org'), 10);
  });

  // Operations the engine may interleave across concurrent dispatches.
  type Op =
    | { kind: 'reserve'; estimate: number; scope: number; approved: boolean }
    | { kind: 'settle'; pick: number; ratio: number }
    | { kind: 'release'; pick: number }
    | { kind: 'recover'; keepEvery: number };
  const scopesOf = [['org'], ['org', 'team'], ['org', 'team', 'item'], ['team', 'item']];
  const opArb: fc.Arbitrary<Op> = fc.oneof(
    fc.record({
      kind: fc.constant('reserve' as const),
      estimate: fc.integer({ min: 0, max: 120_000 }),
      scope: fc.nat(3),
      approved: fc.boolean(),
    }),
    fc.record({
      kind: fc.constant('settle' as const),
      pick: fc.nat(),
      ratio: fc.double({ min: 0, max: 3, noNaN: true }),
    }),
    fc.record({ kind: fc.constant('release' as const), pick: fc.nat() }),
    fc.record({ kind: fc.constant('recover' as const), keepEvery: fc.integer({ min: 1, max: 3 }) }),
  );

  function run(ops: Op[], check: (s: LedgerState) => void): LedgerState {
    let s = createLedger(budgets);
    let n = 0;
    for (const op of ops) {
      const open = Object.keys(s.reservations);
      if (op.kind === 'reserve') {
        const r = reserve(s, {
          id: `r${n++}`,
          budgetIds: scopesOf[op.scope] ?? ['org'],
          amountMicros: op.estimate,
          approved: op.approved,
        });
        s = r.state;
      } else if (op.kind === 'settle' && open.length > 0) {
        const id = open[op.pick % open.length] as string;
        const res = s.reservations[id];
        if (!res) continue;
        // The engine caps calls of a hard-capped scope at their reservation (max output tokens).
        const capped = res.budgetIds.some((b) => s.budgets[b]?.hardCap);
        const actual = Math.round(res.amountMicros * (capped ? Math.min(1, op.ratio) : op.ratio));
        s = settle(s, id, actual).state;
      } else if (op.kind === 'release' && open.length > 0) {
        s = release(s, open[op.pick % open.length] as string);
      } else if (op.kind === 'recover') {
        s = recover(s, new Set(open.filter((_, i) => i % op.keepEvery === 0)));
      }
      check(s);
    }
    return s;
  }

  it('never lets settled spend of a hard-capped budget exceed its limit, under any interleaving', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 80 }), (ops) => {
        run(ops, (s) => {
          const a = s.accounts.item;
          assert.ok(a && a.settledMicros <= 150_000, `settled ${a?.settledMicros}`);
          assert.ok(a && a.settledMicros + a.reservedMicros <= 150_000);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('bounds the overshoot of a default budget by what estimates fell short plus what was approved', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 80 }), (ops) => {
        run(ops, (s) => {
          for (const b of budgets) {
            const a = s.accounts[b.id];
            assert.ok(a);
            assert.ok(a.reservedMicros >= 0);
            assert.ok(
              a.settledMicros - b.limitMicros <= a.excessMicros + a.approvedMicros,
              `${b.id}: settled ${a.settledMicros} limit ${b.limitMicros} excess ${a.excessMicros} approved ${a.approvedMicros}`,
            );
          }
        });
      }),
      { numRuns: 300 },
    );
  });

  it('leaves nothing reserved after recovery with no live dispatch, and settled spend intact', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 60 }), (ops) => {
        const before = run(ops, () => {});
        const after = recover(before, new Set());
        assert.deepEqual(after.reservations, {});
        for (const b of budgets) {
          assert.equal(after.accounts[b.id]?.reservedMicros, 0);
          assert.equal(after.accounts[b.id]?.settledMicros, before.accounts[b.id]?.settledMicros);
        }
      }),
      { numRuns: 100 },
    );
  });
});
