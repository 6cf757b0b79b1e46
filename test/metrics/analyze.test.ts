/**
 * The whole git pass on a synthetic history whose every figure is known by
 * construction (see scenario.ts for the history and the change indexes).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  type Analysis,
  analyzeRepository,
  buildReport,
  type Figures,
} from '../../src/metrics/index.ts';
import { buildScenario, type Scenario } from './scenario.ts';
import { HOUR, type SyntheticRepo, syntheticRepo } from './synthetic-repo.ts';

describe('analysis of a synthetic history', () => {
  let repo: SyntheticRepo;
  let scenario: Scenario;
  let analysis: Analysis;
  let figures: Figures;

  before(async () => {
    repo = syntheticRepo();
    scenario = buildScenario(repo);
    analysis = await analyzeRepository({ repo: repo.dir, cache: false });
    figures = buildReport(analysis, { since: null, until: null }).figures;
  });
  after(() => repo.dispose());

  const change = (i: number) => analysis.state.changes[i];

  it('lands one change per first-parent commit, in order, with the merge bringing in its branch', () => {
    const order = [
      'c1',
      'c2',
      'c3',
      'c4',
      'c5',
      'merge',
      'c7',
      'c8',
      'c9',
      'c10',
      'c11',
      'c12',
      'n1',
      'n2',
    ];
    assert.deepEqual(
      analysis.state.changes.map((c) => c.sha),
      order.map((k) => scenario.shas[k]),
    );
    assert.equal(change(5)?.merge, true);
    assert.equal(change(5)?.broughtIn, 2);
    assert.equal(analysis.state.landedBy.get(scenario.shas.x1 as string), 5);
    assert.equal(analysis.head.sha, scenario.shas.n2);
  });

  it('attributes trailers of several tools, a squash, a merged AI commit and bot-less commits', () => {
    assert.deepEqual(change(1)?.tools, ['claude']);
    assert.deepEqual(change(1)?.models, ['Claude Opus 4.5']);
    assert.deepEqual(change(2)?.tools, ['copilot', 'cursor']);
    assert.deepEqual(change(5)?.tools, ['aider']);
    assert.equal(change(5)?.ai, true);
    assert.deepEqual(change(6)?.tools, ['codex']);
    for (const i of [0, 3, 4, 7, 8, 9, 10, 11]) assert.equal(change(i)?.ai, false, `change ${i}`);
  });

  it('lets git-ai notes take precedence over trailers, line by line', () => {
    assert.equal(change(12)?.ai, true);
    assert.equal(change(12)?.lineLevel, true);
    assert.deepEqual(change(12)?.tools, ['cursor']);
    assert.deepEqual(change(12)?.models, ['gpt-5']);
    assert.equal(change(12)?.landedAi, 2);
    assert.equal(change(12)?.landedOther, 2);
    assert.equal(change(13)?.ai, false, 'a note attesting no line overrides the Claude trailer');
  });

  it('counts AI shares of changes and lines', () => {
    assert.deepEqual(figures.changes, { total: 14, ai: 5, other: 9 });
    assert.deepEqual(figures.aiShareOfChanges.all, {
      value: 5 / 14,
      numerator: 5,
      denominator: 14,
    });
    assert.deepEqual(figures.aiShareOfLines.all, { value: 0.5, numerator: 16, denominator: 32 });
  });

  it('follows lines through renames and moves when computing survival at head', () => {
    assert.deepEqual(figures.survivalAtHead.ai, { value: 11 / 16, numerator: 11, denominator: 16 });
    assert.deepEqual(figures.survivalAtHead.other, {
      value: 15 / 16,
      numerator: 15,
      denominator: 16,
    });
    assert.equal(change(8)?.moved, 3);
    assert.equal((change(8)?.landedAi ?? -1) + (change(8)?.landedOther ?? -1), 0);
    assert.equal(analysis.state.tracker.files.get('a-renamed.txt')?.length, 10);
    assert.equal(analysis.state.tracker.files.has('a.txt'), false);
    // The moved lines keep the origin of change 1, AI class.
    assert.deepEqual(analysis.state.tracker.files.get('f.txt'), [3, 3, 3]);
  });

  it('freezes survival at the latest (annotated) tag on the main line', () => {
    assert.equal(figures.survivalAtTag?.tag, 'v1.0');
    assert.equal(figures.survivalAtTag?.sha, scenario.shas.c10);
    assert.deepEqual(figures.survivalAtTag?.ai, { value: 12 / 14, numerator: 12, denominator: 14 });
    assert.deepEqual(figures.survivalAtTag?.other, {
      value: 11 / 12,
      numerator: 11,
      denominator: 12,
    });
  });

  it('counts a rewrite at 71h59m as 72-hour churn and one at 72h01m only as 7-day churn', () => {
    const counters = analysis.state.tracker.counters;
    assert.equal(counters.churn72h[3], 1, 'beta 1 rewritten 71h59m after landing');
    assert.equal(counters.churn72h[5], 0, 'gamma 1 deleted 72h01m after landing');
    assert.equal(counters.churn7d[5], 2);
    assert.deepEqual(figures.churn72h.ai, { value: 3 / 14, numerator: 3, denominator: 14 });
    assert.deepEqual(figures.churn72h.other, { value: 0, numerator: 0, denominator: 12 });
    assert.deepEqual(figures.churn7d.ai, { value: 3 / 7, numerator: 3, denominator: 7 });
    assert.deepEqual(figures.churn7d.other, { value: 0.1, numerator: 1, denominator: 10 });
  });

  it('never counts lines rewritten inside a branch before it merged as churn', () => {
    // x2 rewrote two of x1's lines before the merge: the merge lands 5 lines, none churned.
    assert.equal(change(5)?.landedAi, 5);
    assert.equal(analysis.state.tracker.counters.churn7d[11], 0);
    assert.equal(analysis.state.tracker.counters.alive[11], 5);
  });

  it('gives binary files no lines', () => {
    assert.equal(change(9)?.diffAdded, 0);
    assert.equal(change(9)?.diffDeleted, 0);
    assert.equal(analysis.state.tracker.files.has('img.bin'), false);
  });

  it('counts a revert and a hotfix of landed changes as change failures of their class', () => {
    assert.deepEqual(change(10)?.reverts, [6]);
    assert.deepEqual(change(11)?.fixes, [2]);
    assert.deepEqual(figures.changeFailure.ai, { value: 0.4, numerator: 2, denominator: 5 });
    assert.deepEqual(figures.changeFailure.other, { value: 0, numerator: 0, denominator: 9 });
    assert.equal(figures.changeFailure.reverted, 1);
    assert.equal(figures.changeFailure.fixed, 1);
  });

  it('measures batch size per class and per ISO week', () => {
    assert.deepEqual(figures.batchSize.ai, { count: 5, median: 4, mean: 3.6, p90: 5 });
    assert.equal(figures.batchSize.other.median, 2);
    assert.equal(figures.batchSize.other.mean, 26 / 9);
    assert.deepEqual(
      figures.batchSize.weeks.map((w) => [
        w.week,
        w.ai.count,
        w.ai.median,
        w.other.count,
        w.other.median,
      ]),
      [
        ['2026-W02', 4, 3.5, 8, 2],
        ['2026-W03', 1, 4, 1, 1],
      ],
    );
  });

  it('measures lead time from the first branch commit to its merge', () => {
    assert.deepEqual(figures.leadTime.ai, { count: 1, median: 24, mean: 24, p90: 24 });
    assert.equal(figures.leadTime.other.count, 0);
  });

  it('breaks AI-assisted changes down by tool and model', () => {
    assert.deepEqual(figures.byTool, [
      { name: 'cursor', changes: 2, lines: 5 },
      { name: 'aider', changes: 1, lines: 5 },
      { name: 'claude', changes: 1, lines: 4 },
      { name: 'codex', changes: 1, lines: 2 },
      { name: 'copilot', changes: 1, lines: 3 },
    ]);
    assert.deepEqual(figures.byModel, [
      { name: 'Claude Opus 4.5', changes: 1, lines: 4 },
      { name: 'gpt-5', changes: 1, lines: 2 },
    ]);
  });

  it('restricts figures to changes landed inside the period', () => {
    const since = analysis.state.changes[12]?.landedAt as number;
    const f = buildReport(analysis, { since, until: null }).figures;
    assert.deepEqual(f.changes, { total: 2, ai: 1, other: 1 });
    assert.equal(f.churn72h.all.denominator, 0, 'nothing in the period is 72 hours old');
    assert.equal(f.churn72h.all.value, null);
  });

  it('stops the analysed history at --until', async () => {
    const until = (analysis.state.changes[9]?.landedAt as number) + HOUR;
    const cut = await analyzeRepository({ repo: repo.dir, cache: false, until });
    assert.equal(cut.state.changes.length, 10);
    assert.equal(cut.head.sha, scenario.shas.c10);
  });

  it('puts every figure’s definition next to its value', () => {
    for (const f of [figures.survivalAtHead, figures.churn72h, figures.batchSize, figures.leadTime])
      assert.match(f.definition, /first-parent|merge/);
  });
});
