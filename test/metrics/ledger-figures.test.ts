/**
 * The ledger half of `keel report`: a realistic ledger (test/metrics/ledger-fixture.ts)
 * in a real SQLite file, joined with the git history it shipped, and every
 * figure checked against values worked out by hand.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openLedger } from '../../src/ledger/index.ts';
import {
  analyzeRepository,
  computeLedgerFigures,
  type GroupFigures,
  gitJoinInput,
  type ItemFigures,
  type LedgerFigures,
  type RawEvent,
  readLedgerEvents,
} from '../../src/metrics/index.ts';
import {
  buildFlowRepo,
  FLOW_AGENTS,
  FLOW_NOW,
  type FlowShas,
  writeFlowLedger,
} from './ledger-fixture.ts';
import { type SyntheticRepo, syntheticRepo } from './synthetic-repo.ts';

const TARGETS = {
  cycleTimeHours: 30,
  reworkRate: 0.1,
  waitStateRatio: 0.2,
  costPerFeatureUsd: 2,
  aiAcceptanceRate: 0.9,
};

function close(actual: number | null | undefined, expected: number, what: string): void {
  assert.ok(
    typeof actual === 'number' && Math.abs(actual - expected) < 1e-9,
    `${what}: expected ${expected}, got ${actual}`,
  );
}

describe('ledger figures', () => {
  let repo: SyntheticRepo;
  let shas: FlowShas;
  let dir: string;
  let events: RawEvent[];
  let figures: LedgerFigures;
  let item: (id: string) => ItemFigures;
  let group: (list: GroupFigures[], key: string) => GroupFigures;

  before(async () => {
    repo = syntheticRepo();
    shas = buildFlowRepo(repo);
    dir = mkdtempSync(join(tmpdir(), 'keel-ledger-figures-'));
    const store = await openLedger({ kind: 'sqlite', path: join(dir, 'ledger.db') });
    await writeFlowLedger(store, shas);
    events = await readLedgerEvents(store);
    await store.close();
    const analysis = await analyzeRepository({ repo: repo.dir, cache: false });
    figures = computeLedgerFigures({
      events,
      location: 'test',
      now: FLOW_NOW,
      since: null,
      git: gitJoinInput(analysis),
      agentCategories: FLOW_AGENTS,
      targets: TARGETS,
    });
    item = (id) => {
      const found = figures.items.find((i) => i.id === id);
      assert.ok(found, `item ${id} is in the report`);
      return found;
    };
    group = (list, key) => {
      const found = list.find((g) => g.key === key);
      assert.ok(found, `group ${key} is in the report`);
      return found;
    };
  });
  after(() => {
    repo.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads every submitted item and ignores events after now and of unknown items', () => {
    assert.deepEqual(
      figures.items.map((i) => [i.id, i.status]),
      [
        ['WI-1', 'merged'],
        ['WI-2', 'merged'],
        ['WI-3', 'merged'],
        ['WI-4', 'aborted'],
        ['WI-5', 'open'],
        ['WI-6', 'merged'],
      ],
    );
  });

  it('measures cycle time from submission to merge, and none for items that did not merge', () => {
    close(item('WI-1').cycleTimeHours, 24, 'WI-1');
    close(item('WI-3').cycleTimeHours, 48, 'WI-3');
    assert.equal(item('WI-4').cycleTimeHours, null);
    assert.equal(item('WI-5').cycleTimeHours, null);
  });

  it('splits time into active and waiting by reason, overlapping waits counted once', () => {
    const w1 = item('WI-1');
    close(w1.waitingHours, 7, 'WI-1 waiting');
    close(w1.activeHours, 17, 'WI-1 active');
    close(w1.waitingByReason.gate, 1, 'WI-1 gate');
    close(w1.waitingByReason.human, 6, 'WI-1 human');
    const w2 = item('WI-2');
    close(w2.waitingHours, 3, 'WI-2 waiting (11–13 ∪ 12–14)');
    close(w2.waitingByReason.resource, 2, 'WI-2 resource');
    close(w2.waitingByReason.budget, 2, 'WI-2 budget');
    close(w2.waitingByReason.pool, 0, 'WI-2 pool (an end without a start)');
    close(item('WI-3').waitingByReason.pool, 1, 'WI-3 pool');
    close(w1.waitStateRatio as number, 7 / 24, 'WI-1 ratio');
    close(w2.waitStateRatio as number, 0.125, 'WI-2 ratio');
  });

  it('counts an open wait until now', () => {
    const w5 = item('WI-5');
    assert.equal(w5.openWaits, 1);
    close(w5.elapsedHours, 99, 'WI-5 elapsed (Mon 09:00 → Fri+3d 12:00)');
    close(w5.waitingByReason.human, 75, 'WI-5 human');
    close(w5.activeHours, 24, 'WI-5 active');
    assert.equal(w5.waitStateRatio, null);
  });

  it('computes first-pass gate acceptance and attempts per pass', () => {
    assert.deepEqual(item('WI-1').firstPassAcceptance, { value: 0, numerator: 0, denominator: 1 });
    assert.deepEqual(item('WI-2').firstPassAcceptance, { value: 1, numerator: 1, denominator: 1 });
    assert.equal(item('WI-1').attemptsPerPass, 2);
    assert.equal(item('WI-2').attemptsPerPass, 1);
    assert.equal(item('WI-2').passes, 2);
  });

  it('sums tokens and cost of recorded calls, skipping reused answers and flagging unpriced calls', () => {
    assert.equal(item('WI-1').tokens, 3300);
    close(item('WI-1').costUsd, 0.9, 'WI-1 cost');
    assert.equal(item('WI-1').pricedCalls, 4);
    assert.equal(item('WI-2').tokens, 4000);
    close(item('WI-2').costUsd, 1, 'WI-2 priced cost');
    assert.equal(item('WI-2').unpricedCalls, 1);
  });

  it('joins items with git by trailer or merge commit to tell reworked from clean lines', () => {
    assert.deepEqual(
      figures.items.map((i) => [i.id, i.rework]),
      [
        ['WI-1', 'reworked'],
        ['WI-2', 'clean'],
        ['WI-3', 'clean'],
        ['WI-4', 'unknown'],
        ['WI-5', 'unknown'],
        ['WI-6', 'pending'],
      ],
    );
  });

  it('groups ended items by ISO week with cost per merged change and per shipped feature', () => {
    assert.deepEqual(
      figures.byWeek.map((g) => [g.key, g.items, g.merged, g.mergedFeatures]),
      [
        ['2026-W02', 2, 2, 1],
        ['2026-W03', 2, 1, 1],
        ['2026-W04', 1, 1, 0],
      ],
    );
    const w2 = group(figures.byWeek, '2026-W02');
    close(w2.costPerMergedChange.value, 0.95, 'W02 cost per merged change');
    assert.equal(w2.costPerMergedChange.unpricedCalls, 1);
    close(w2.costPerShippedFeature.value, 0.9, 'W02 cost per feature');
    assert.equal(w2.costPerShippedFeature.unpricedCalls, 0);
    close(w2.waitStateRatio.value, 10 / 48, 'W02 wait-state ratio');
    assert.equal(w2.cycleTimeHours.median, 24);
    assert.deepEqual(w2.firstPassAcceptance, { value: 0.5, numerator: 1, denominator: 2 });
    assert.deepEqual(w2.tokensPerGoodChange, { value: 7300, tokens: 7300, changes: 1 });
    const w3 = group(figures.byWeek, '2026-W03');
    assert.deepEqual(w3.aiAcceptanceRate, { value: 0.5, numerator: 1, denominator: 2 });
    assert.deepEqual(w3.tokensPerGoodChange, { value: 5000, tokens: 5000, changes: 1 });
    const w4 = group(figures.byWeek, '2026-W04');
    assert.equal(w4.costPerShippedFeature.value, null);
    assert.equal(w4.tokensPerGoodChange.value, null);
    close(w4.waitStateRatio.value, 0, 'W04 wait-state ratio');
  });

  it('groups by team and by project', () => {
    assert.deepEqual(
      figures.byTeam.map((g) => [g.key, g.items, g.merged]),
      [
        ['alpha', 3, 3],
        ['beta', 2, 1],
      ],
    );
    close(group(figures.byTeam, 'beta').costPerShippedFeature.value, 4, 'beta cost per feature');
    assert.deepEqual(
      figures.byProject.map((g) => [g.key, g.items]),
      [
        ['acme/api', 1],
        ['acme/shop', 4],
      ],
    );
  });

  it('totals every ended item: token efficiency and acceptance of AI-generated changes', () => {
    const t = figures.total;
    assert.equal(t.items, 5);
    close(t.costPerMergedChange.value, 1.5, 'cost per merged change');
    close(t.costPerShippedFeature.value, 2.45, 'cost per shipped feature');
    assert.deepEqual(t.tokensPerGoodChange, { value: 6250, tokens: 12500, changes: 2 });
    assert.deepEqual(t.aiAcceptanceRate, { value: 0.8, numerator: 4, denominator: 5 });
    close(t.waitStateRatio.value, 11 / 120, 'wait-state ratio');
  });

  it('splits cost by role (agent category) and by model, unpriced calls apart', () => {
    const role = (name: string) => figures.costByRole.find((r) => r.name === name);
    close(role('implementer')?.costUsd, 7.8, 'implementer');
    assert.equal(role('implementer')?.calls, 8);
    assert.equal(role('implementer')?.tokens, 12700);
    close(role('verifier')?.costUsd, 0.1, 'verifier');
    assert.deepEqual(role('documenter'), {
      name: 'documenter',
      costUsd: 0,
      calls: 1,
      unpricedCalls: 1,
      tokens: 1000,
    });
    assert.deepEqual(
      figures.costByModel.map((r) => [r.name, r.calls, r.unpricedCalls, r.tokens]),
      [
        ['claude-sonnet-4-5', 7, 0, 12500],
        ['gpt-5-mini', 3, 0, 1000],
        ['local-llama', 1, 1, 1000],
      ],
    );
    close(figures.costByModel[0]?.costUsd, 7.7, 'sonnet');
    assert.deepEqual(
      figures.costByRoleModel.map((r) => [r.role, r.model, r.calls]),
      [
        ['implementer', 'claude-sonnet-4-5', 7],
        ['implementer', 'gpt-5-mini', 1],
        ['verifier', 'gpt-5-mini', 2],
        ['documenter', 'local-llama', 1],
      ],
    );
  });

  it('puts the five numbers per week, with rework from git', () => {
    const rows = figures.weekly.map((w) => [
      w.week,
      w.cycleTimeHours,
      w.reworkRate,
      w.costPerShippedFeatureUsd === null ? null : Number(w.costPerShippedFeatureUsd.toFixed(6)),
      w.aiAcceptanceRate,
    ]);
    assert.deepEqual(rows, [
      ['2026-W02', 24, 0.25, 0.9, 1],
      ['2026-W03', 48, 0, 4, 0.5],
      ['2026-W04', 24, null, null, 1],
    ]);
  });

  it('states the five numbers with their targets, met or not, and trend', () => {
    const n = Object.fromEntries(figures.fiveNumbers.map((f) => [f.id, f]));
    assert.deepEqual(
      figures.fiveNumbers.map((f) => [f.id, f.target, f.met, f.trend, f.improving]),
      [
        ['cycle-time', 30, true, 'down', true],
        ['rework-rate', 0.1, false, 'down', true],
        ['wait-state-ratio', 0.2, true, 'down', true],
        ['cost-per-shipped-feature', 2, false, 'up', false],
        ['ai-acceptance-rate', 0.9, false, 'up', true],
      ],
    );
    close(n['cycle-time']?.value, 24, 'cycle time');
    close(n['rework-rate']?.value, 2 / 13, 'rework rate');
    close(n['wait-state-ratio']?.value, 11 / 120, 'wait-state ratio');
    close(n['cost-per-shipped-feature']?.value, 2.45, 'cost per feature');
    close(n['ai-acceptance-rate']?.value, 0.8, 'acceptance');
    assert.equal(n['cost-per-shipped-feature']?.latestWeek, '2026-W03');
    for (const f of figures.fiveNumbers) assert.ok(f.definition.length > 40, `${f.id} is defined`);
  });

  it('without targets or git says so instead of guessing', () => {
    const bare = computeLedgerFigures({
      events,
      location: 'test',
      now: FLOW_NOW,
      since: null,
      git: null,
      agentCategories: new Map(),
      targets: null,
    });
    assert.ok(bare.fiveNumbers.every((f) => f.target === null && f.met === null));
    assert.equal(bare.fiveNumbers[1]?.value, null);
    assert.ok(bare.items.every((i) => i.rework === 'unknown'));
    assert.deepEqual(
      bare.costByRole.map((r) => r.name),
      ['unknown'],
    );
  });

  it('takes the merge from the main line when the ledger records none', async () => {
    const withoutMerge = events.filter(
      (e) => !(e.type === 'work_item.merged' && e.workItemId === 'WI-6'),
    );
    const analysis = await analyzeRepository({ repo: repo.dir, cache: false });
    const input = {
      events: withoutMerge,
      location: 'test',
      now: FLOW_NOW,
      since: null,
      agentCategories: FLOW_AGENTS,
      targets: null,
    };
    const joined = computeLedgerFigures({ ...input, git: gitJoinInput(analysis) });
    const wi6 = joined.items.find((i) => i.id === 'WI-6');
    assert.equal(wi6?.status, 'merged');
    assert.equal(wi6?.mergedFrom, 'git');
    // Submitted Monday 10:00; its trailer commit c5 landed Tuesday 01:00.
    close(wi6?.cycleTimeHours, 15, 'WI-6 cycle time from git');
    assert.equal(figures.items.find((i) => i.id === 'WI-6')?.mergedFrom, 'ledger');
    const alone = computeLedgerFigures({ ...input, git: null });
    assert.equal(alone.items.find((i) => i.id === 'WI-6')?.status, 'done');
  });

  it('keeps only items that ended in the period or are still open', () => {
    const since = Date.UTC(2026, 0, 12) / 1000;
    const later = computeLedgerFigures({
      events,
      location: 'test',
      now: FLOW_NOW,
      since,
      git: null,
      agentCategories: FLOW_AGENTS,
      targets: null,
    });
    assert.deepEqual(
      later.items.map((i) => i.id),
      ['WI-3', 'WI-4', 'WI-5', 'WI-6'],
    );
    assert.deepEqual(
      later.byWeek.map((g) => g.key),
      ['2026-W03', '2026-W04'],
    );
  });
});
