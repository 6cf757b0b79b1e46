import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Priority } from '../../src/core/index.ts';
import type { CallRecord } from '../../src/cost/index.ts';
import {
  type Budget,
  type BudgetSpend,
  budgetPressure,
  evaluateBudgets,
  isLowPriority,
  periodBounds,
  settledInPeriod,
} from '../../src/cost/index.ts';

const team: Budget = {
  id: 'team-core',
  scope: 'team',
  scopeId: 'core',
  period: 'monthly',
  limitMicros: 100_000_000,
  owner: 'lead@acme',
  approvalAboveMicros: 5_000_000,
};
const scopes = { org: 'acme', team: 'core', project: 'shop', work_item: 'W-1' };

function decide(
  settled: number,
  reserved: number,
  estimate: number,
  priority: Priority,
  budgets: Budget[] = [team],
) {
  const spend = (): BudgetSpend => ({ settledMicros: settled, reservedMicros: reserved });
  return evaluateBudgets(budgets, spend, { estimateMicros: estimate, priority, scopes });
}

describe('budget decisions', () => {
  it('defines low priority as P2 and P3', () => {
    assert.deepEqual((['P0', 'P1', 'P2', 'P3'] as const).map(isLowPriority), [
      false,
      false,
      true,
      true,
    ]);
  });

  it('dispatches when the budget has room', () => {
    assert.equal(decide(10_000_000, 0, 1_000_000, 'P3').action, 'dispatch');
  });

  it('lets low-priority work yield when approaching the limit, counting reservations', () => {
    const d = decide(70_000_000, 9_000_000, 2_000_000, 'P2');
    assert.equal(d.action, 'dispatch-if-nothing-higher-waits');
    assert.equal(d.findings[0]?.state, 'approaching');
    assert.equal(decide(70_000_000, 9_000_000, 2_000_000, 'P1').action, 'dispatch');
  });

  it('honours a per-budget approaching threshold', () => {
    const early = { ...team, approachingAt: 0.5 };
    assert.equal(
      decide(55_000_000, 0, 0, 'P3', [early]).action,
      'dispatch-if-nothing-higher-waits',
    );
  });

  it('pauses low-priority work at the limit', () => {
    const d = decide(99_000_000, 0, 2_000_000, 'P3');
    assert.equal(d.action, 'pause');
    assert.deepEqual(d.decidedBy, ['team-core']);
  });

  it('requires approval at the limit for a high-priority dispatch estimated above the configured amount', () => {
    const d = decide(99_000_000, 0, 6_000_000, 'P0');
    assert.equal(d.action, 'wait-approval');
    assert.match(d.reason, /lead@acme must approve/);
    assert.equal(decide(99_000_000, 0, 4_000_000, 'P0').action, 'dispatch');
  });

  it('pauses everything and escalates to the owner when over the limit', () => {
    const d = decide(100_000_001, 0, 1, 'P0');
    assert.equal(d.action, 'pause-and-escalate');
    assert.match(d.reason, /escalate to lead@acme/);
  });

  it('refuses a dispatch that a hard cap would not cover, whatever its priority', () => {
    const capped = { ...team, hardCap: true };
    const d = decide(90_000_000, 5_000_000, 6_000_000, 'P0', [capped]);
    assert.equal(d.action, 'refuse');
    assert.equal(d.findings[0]?.projectedMicros, 101_000_000);
  });

  it('takes the most severe action over every enclosing budget and ignores budgets of other scopes', () => {
    const org: Budget = {
      id: 'org',
      scope: 'org',
      scopeId: 'acme',
      period: 'total',
      limitMicros: 1_000_000_000,
      owner: 'cfo',
    };
    const item: Budget = {
      id: 'item',
      scope: 'work_item',
      scopeId: 'W-1',
      period: 'total',
      limitMicros: 10_000_000,
      owner: 'eng',
      hardCap: true,
    };
    const other: Budget = {
      id: 'other',
      scope: 'team',
      scopeId: 'web',
      period: 'monthly',
      limitMicros: 1,
      owner: 'x',
    };
    const spend = (id: string): BudgetSpend => ({
      settledMicros: id === 'item' ? 9_500_000 : 0,
      reservedMicros: 0,
    });
    const d = evaluateBudgets([org, item, other], spend, {
      estimateMicros: 1_000_000,
      priority: 'P1',
      scopes,
    });
    assert.equal(d.action, 'refuse');
    assert.deepEqual(d.decidedBy, ['item']);
    assert.deepEqual(
      d.findings.map((f) => f.budgetId),
      ['org', 'item'],
    );
  });

  it('turns a decision into the budget pressure tier selection reads', () => {
    assert.equal(budgetPressure(decide(10_000_000, 0, 1_000_000, 'P1')), 'none');
    assert.equal(budgetPressure(decide(79_000_000, 0, 2_000_000, 'P1')), 'approaching');
    assert.equal(budgetPressure(decide(99_000_000, 0, 2_000_000, 'P0')), 'at-limit');
  });

  it('dispatches with no budget in scope, saying so', () => {
    assert.equal(decide(0, 0, 1, 'P3', []).reason, 'no budget covers this dispatch');
  });
});

describe('budget periods in UTC', () => {
  it('starts a monthly period on the 1st and a weekly one on Monday at 00:00 UTC', () => {
    const at = new Date('2026-11-01T01:30:00+03:00'); // 2026-10-31T22:30Z, a Saturday
    assert.deepEqual(periodBounds('monthly', at), {
      start: new Date('2026-10-01T00:00:00Z'),
      end: new Date('2026-11-01T00:00:00Z'),
    });
    assert.deepEqual(periodBounds('weekly', at), {
      start: new Date('2026-10-26T00:00:00Z'),
      end: new Date('2026-11-02T00:00:00Z'),
    });
    const sunday = new Date('2026-11-22T23:59:59Z');
    assert.equal(periodBounds('weekly', sunday).start.toISOString(), '2026-11-16T00:00:00.000Z');
  });

  it('counts only the calls of the budget scope inside the current period', () => {
    const base = {
      usage: {
        inputTokens: 0,
        outputTokens: 0,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        reasoningTokens: 0,
      },
      attemptId: 'a',
      pass: 'p',
      workItemId: 'W',
      project: 'shop',
      org: 'acme',
      agent: 'a',
      category: 'c',
      model: 'm',
      provider: 'p',
      workflow: 'w',
      mode: 'balanced',
    };
    const calls: CallRecord[] = [
      { ...base, team: 'core', costMicros: 5, at: new Date('2026-11-01T00:00:00Z') },
      { ...base, team: 'core', costMicros: 7, at: new Date('2026-10-31T23:59:59Z') },
      { ...base, team: 'web', costMicros: 11, at: new Date('2026-11-02T00:00:00Z') },
    ];
    assert.equal(settledInPeriod(team, calls, new Date('2026-11-15T00:00:00Z')), 5);
  });
});
