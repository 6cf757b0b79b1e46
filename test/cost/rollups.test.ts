import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { type CallRecord, ROLLUP_DIMENSIONS, rollup } from '../../src/cost/index.ts';

function call(over: Partial<CallRecord>): CallRecord {
  return {
    costMicros: 0,
    usage: {
      inputTokens: 10,
      outputTokens: 5,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      reasoningTokens: 0,
    },
    attemptId: 'a1',
    pass: 'spec',
    workItemId: 'W-1',
    project: 'shop',
    team: 'core',
    org: 'acme',
    agent: 'spec-writer',
    category: 'specifier',
    model: 'claude-sonnet-4-5',
    provider: 'anthropic',
    workflow: 'feature',
    mode: 'balanced',
    at: new Date('2026-11-20T10:00:00Z'),
    ...over,
  };
}

describe('cost rollups', () => {
  it('groups by pass and model, most expensive first, with tokens summed', () => {
    const r = rollup(
      [
        call({ costMicros: 100, pass: 'spec' }),
        call({ costMicros: 250, pass: 'implement', model: 'claude-opus-4-5' }),
        call({ costMicros: 50, pass: 'spec' }),
      ],
      ['pass', 'model'],
    );
    assert.deepEqual(
      r.groups.map((g) => [g.key.pass, g.key.model, g.costMicros, g.calls]),
      [
        ['implement', 'claude-opus-4-5', 250, 1],
        ['spec', 'claude-sonnet-4-5', 150, 2],
      ],
    );
    assert.equal(r.groups[1]?.usage.inputTokens, 20);
    assert.equal(r.totalMicros, 400);
  });

  it('groups by UTC day, not local day', () => {
    const r = rollup([call({ costMicros: 1, at: new Date('2026-11-20T23:30:00-05:00') })], ['day']);
    assert.equal(r.groups[0]?.key.day, '2026-11-21');
  });

  it('keeps totals equal to the sum of the parts for any records and any grouping', () => {
    const arb = fc.array(
      fc.record({
        costMicros: fc.integer({ min: 0, max: 5_000_000_000 }),
        pass: fc.constantFrom('spec', 'design', 'implement'),
        model: fc.constantFrom('a', 'b', 'c'),
        team: fc.constantFrom('core', 'web'),
        day: fc.integer({ min: 0, max: 40 }),
      }),
      { maxLength: 60 },
    );
    fc.assert(
      fc.property(
        arb,
        fc.subarray([...ROLLUP_DIMENSIONS], { minLength: 1, maxLength: 3 }),
        (rows, by) => {
          const records = rows.map((r) =>
            call({ ...r, at: new Date(Date.UTC(2026, 0, 1 + r.day, 12)) }),
          );
          const result = rollup(records, by);
          const sumGroups = result.groups.reduce((a, g) => a + g.costMicros, 0);
          const sumRecords = records.reduce((a, r) => a + r.costMicros, 0);
          assert.equal(result.totalMicros, sumRecords);
          assert.equal(sumGroups, sumRecords);
          assert.equal(
            result.groups.reduce((a, g) => a + g.calls, 0),
            records.length,
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it('refuses a fractional cost instead of summing it', () => {
    assert.throws(() => rollup([call({ costMicros: 0.5 })], ['item']), /non-integer cost/);
  });
});
