/**
 * The small pure pieces of the ledger half: the event adapter's tolerance,
 * interval unions, trends, ISO week starts and the Keel-Work-Item trailer.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { findWorkItems } from '../../src/metrics/commit-log.ts';
import {
  analyzeRepository,
  collectItems,
  costText,
  fiveNumbers,
  isoWeek,
  LEDGER_DEFINITIONS,
  trendOf,
  unionLength,
  weekStartOf,
} from '../../src/metrics/index.ts';
import { HOUR, lines, syntheticRepo, T0 } from './synthetic-repo.ts';

const at = (hour: number) => new Date(Date.UTC(2026, 0, 5, hour)).toISOString();

describe('ledger event adapter', () => {
  it('tolerates missing and extra fields, and payloads that are not objects', () => {
    const items = collectItems([
      {
        type: 'work_item.submitted',
        at: at(0),
        actor: 'ana',
        workItemId: 'WI-1',
        data: { extra: 1 },
      },
      { type: 'attempt.started', at: at(1), actor: 'keel', workItemId: 'WI-1', data: null },
      {
        type: 'model_call.recorded',
        at: at(2),
        actor: 'keel',
        workItemId: 'WI-1',
        data: { usage: 'weird', costUsd: 'NaN', priced: true },
      },
      {
        type: 'gate.decided',
        at: at(3),
        actor: 'keel',
        workItemId: 'WI-1',
        data: { verdict: 'maybe' },
      },
      {
        type: 'wait.started',
        at: at(3),
        actor: 'keel',
        workItemId: 'WI-1',
        data: { reason: 'coffee' },
      },
      {
        type: 'work_item.completed',
        at: 'not a date',
        actor: 'keel',
        workItemId: 'WI-1',
        data: {},
      },
      {
        type: 'work_item.completed',
        at: at(4),
        actor: 'keel',
        workItemId: 'WI-1',
        data: { outcome: 'odd' },
      },
    ]);
    const item = items.get('WI-1');
    assert.ok(item);
    assert.equal(item.type, 'unknown');
    assert.equal(item.team, 'unknown');
    assert.equal(item.attempts.length, 1);
    assert.deepEqual(
      item.calls.map((c) => [c.model, c.tokens, c.costUsd]),
      [['unknown', 0, null]],
    );
    assert.equal(item.gates[0]?.passed, false);
    assert.equal(item.waits.length, 0, 'an unknown wait reason is not a wait');
    assert.equal(item.outcome, 'failed');
    assert.equal(item.completedAt, Date.parse(at(4)) / 1000);
  });

  it('matches a wait end to the oldest open wait with the same key', () => {
    const ev = (type: string, hour: number, data: object) => ({
      type,
      at: at(hour),
      actor: 'keel',
      workItemId: 'WI-1',
      data,
    });
    const item = collectItems([
      ev('work_item.submitted', 0, {}),
      ev('wait.started', 1, { reason: 'resource', pass: 'build' }),
      ev('wait.started', 2, { reason: 'resource', pass: 'build' }),
      ev('wait.started', 2, { reason: 'human', approvalId: 'A' }),
      ev('wait.ended', 3, { reason: 'resource', pass: 'build' }),
      ev('wait.ended', 5, { approvalId: 'A' }),
    ]).get('WI-1');
    assert.deepEqual(
      item?.waits.map((w) => [
        w.reason,
        (w.start % 86400) / 3600,
        w.end === null ? null : (w.end % 86400) / 3600,
      ]),
      [
        ['resource', 1, 3],
        ['resource', 2, null],
        ['human', 2, 5],
      ],
    );
  });
});

describe('interval union', () => {
  it('counts overlapping and touching intervals once', () => {
    assert.equal(unionLength([]), 0);
    assert.equal(
      unionLength([
        [0, 2],
        [1, 3],
        [3, 4],
        [10, 11],
        [5, 5],
      ]),
      5,
    );
  });

  it('is never more than the sum nor less than the longest interval', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 50 })), {
          maxLength: 12,
        }),
        (pairs) => {
          const intervals = pairs.map(([a, len]) => [a, a + len] as const);
          const u = unionLength(intervals);
          const sum = intervals.reduce((s, [a, b]) => s + b - a, 0);
          const longest = Math.max(0, ...intervals.map(([a, b]) => b - a));
          // Brute force on the integer grid.
          const covered = new Set<number>();
          for (const [a, b] of intervals) for (let t = a; t < b; t++) covered.add(t);
          return u <= sum && u >= longest && u === covered.size;
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('trends and targets', () => {
  it('compares the last two known values, flat within 1 %', () => {
    assert.equal(trendOf([1, null, 2]), 'up');
    assert.equal(trendOf([2, 1, null]), 'down');
    assert.equal(trendOf([100, 100.5]), 'flat');
    assert.equal(trendOf([0, 0]), 'flat');
    assert.equal(trendOf([null, 3]), null);
  });

  it('meets a lower-is-better target at or below it and a higher-is-better one at or above it', () => {
    const period = {
      cycleTimeHours: 10,
      reworkRate: 0.2,
      waitStateRatio: null,
      costPerShippedFeatureUsd: 5,
      aiAcceptanceRate: 0.5,
    };
    const n = fiveNumbers(period, [], {
      cycleTimeHours: 10,
      reworkRate: 0.1,
      waitStateRatio: 0.3,
      aiAcceptanceRate: 0.5,
    });
    assert.deepEqual(
      n.map((f) => [f.id, f.met, f.trend]),
      [
        ['cycle-time', true, null],
        ['rework-rate', false, null],
        ['wait-state-ratio', null, null],
        ['cost-per-shipped-feature', null, null],
        ['ai-acceptance-rate', true, null],
      ],
    );
  });
});

describe('ISO weeks', () => {
  it('finds the Monday of a week label, across year boundaries', () => {
    for (const [label, monday] of [
      ['2026-W01', '2025-12-29'],
      ['2026-W02', '2026-01-05'],
      ['2020-W53', '2020-12-28'],
    ] as const) {
      const start = weekStartOf(label);
      assert.equal(new Date(start * 1000).toISOString().slice(0, 10), monday);
      assert.equal(isoWeek(start), label);
      assert.equal(isoWeek(start + 7 * 86400 - 1), label);
    }
  });
});

describe('Keel-Work-Item trailers', () => {
  it('reads work item ids from trailers only, deduplicated', () => {
    assert.deepEqual(
      findWorkItems(
        'Do it\n\nmentions Keel-Work-Item: WI-9 inline\nKeel-Work-Item: wi-3\nKeel-Work-Item: WI-3\nKeel-Work-Item: WI-12 \n',
      ),
      ['WI-3', 'WI-12'],
    );
    assert.deepEqual(findWorkItems('Keel-Work-Item: something'), []);
  });
});

describe('work items of landed changes', () => {
  it('a merge carries the work items of the commits it brings in', async () => {
    const repo = syntheticRepo();
    try {
      repo.commit('Start', { at: T0, files: { 'a.txt': lines('a', 2) } });
      repo.git(['checkout', '-q', '-b', 'wi-4'], T0);
      repo.commit('Work\n\nKeel-Work-Item: WI-4\nKeel-Pass: implement\n', {
        at: T0 + HOUR,
        files: { 'b.txt': lines('b', 2) },
      });
      repo.git(['checkout', '-q', 'main'], T0 + 2 * HOUR);
      repo.git(['merge', '-q', '--no-ff', '-m', 'Merge wi-4', 'wi-4'], T0 + 2 * HOUR);
      repo.commit('Direct\n\nKeel-Work-Item: WI-5\n', {
        at: T0 + 3 * HOUR,
        files: { 'c.txt': 'c\n' },
      });
      const analysis = await analyzeRepository({ repo: repo.dir, cache: false });
      assert.deepEqual(
        analysis.state.changes.map((c) => c.workItems),
        [[], ['WI-4'], ['WI-5']],
      );
    } finally {
      repo.dispose();
    }
  });
});

describe('ledger definitions in the docs', () => {
  it('docs/metrics.md lists every ledger figure with the exact text the report prints', () => {
    const doc = readFileSync(new URL('../../docs/metrics.md', import.meta.url), 'utf8');
    for (const [id, d] of Object.entries(LEDGER_DEFINITIONS))
      assert.ok(
        doc.includes(`| \`${id}\` |`) && doc.includes(d.definition.replace(/\|/g, '\\|')),
        `docs/metrics.md has the definition of ${id}`,
      );
  });
});

describe('cost text', () => {
  it('flags unpriced calls, never shows them as $0, and keeps sub-cent costs visible', () => {
    assert.equal(costText(1.2, 0), '$1.20');
    assert.equal(costText(1.2, 2), '$1.20 + 2 unpriced');
    assert.equal(costText(0, 3, 0), '3 unpriced');
    assert.equal(costText(0.0034, 0), '$0.0034');
    assert.equal(costText(0, 0), '$0.00');
    assert.equal(costText(null, 0), '—');
  });
});
