/**
 * The HTML report: self-contained, and its charts draw the report's numbers —
 * checked in headless Chromium when /usr/bin/chromium exists.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { openLedger } from '../../src/ledger/index.ts';
import {
  analyzeRepository,
  buildReport,
  computeLedgerFigures,
  gitJoinInput,
  type LedgerFigures,
  type ReportDocument,
  readLedgerEvents,
  renderHtml,
} from '../../src/metrics/index.ts';
import { buildFlowRepo, FLOW_AGENTS, FLOW_NOW, writeFlowLedger } from './ledger-fixture.ts';
import { buildScenario } from './scenario.ts';
import { type SyntheticRepo, syntheticRepo } from './synthetic-repo.ts';

const CHROMIUM = '/usr/bin/chromium';

describe('HTML report', () => {
  let repo: SyntheticRepo;
  let report: ReportDocument;
  let dir: string;
  let LEDGER: LedgerFigures;

  before(async () => {
    repo = syntheticRepo();
    buildScenario(repo);
    const analysis = await analyzeRepository({ repo: repo.dir, cache: false });
    report = buildReport(analysis, { since: null, until: null });
    dir = mkdtempSync(join(tmpdir(), 'keel-html-'));
    // The ledger figures of the flow fixture (values worked out in ledger-figures.test.ts).
    const flow = syntheticRepo();
    try {
      const shas = buildFlowRepo(flow);
      const store = await openLedger({ kind: 'sqlite', path: join(dir, 'ledger.db') });
      await writeFlowLedger(store, shas);
      const events = await readLedgerEvents(store);
      await store.close();
      const flowAnalysis = await analyzeRepository({ repo: flow.dir, cache: false });
      LEDGER = computeLedgerFigures({
        events,
        location: 'test',
        now: FLOW_NOW,
        since: null,
        git: gitJoinInput(flowAnalysis),
        agentCategories: FLOW_AGENTS,
        targets: { cycleTimeHours: 30, costPerFeatureUsd: 2 },
      });
    } finally {
      flow.dispose();
    }
  });
  after(() => {
    repo.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is one page with no external assets or scripts', () => {
    const html = renderHtml(report);
    assert.doesNotMatch(html, /<script|<link|src=|href=|url\(/i);
    assert.match(html, /data-series="ai" data-value="0\.6875" data-figure="survival-head"/);
  });

  it('says "no ledger data" in the ledger sections until the ledger provides figures', () => {
    const html = renderHtml(report);
    assert.match(html, /id="weekly-numbers"[\s\S]*no ledger data/);
    assert.match(html, /id="cost-by-role-model"[\s\S]*no ledger data/);
    const withLedger = renderHtml({ ...report, ledger: LEDGER });
    assert.doesNotMatch(withLedger, /no ledger data/);
    assert.doesNotMatch(withLedger, /<script|<link|src=|href=|url\(/i);
    // The ledger tables join the definitions-bearing tables at the end.
    assert.match(withLedger, /<h3>The five weekly numbers<\/h3><table>/);
    assert.match(withLedger, /<td>\$1\.00 \+ 1 unpriced<\/td>/);
    assert.match(
      withLedger,
      /data-series="cost" data-role="implementer" data-model="claude-sonnet-4-5" data-unpriced="0" data-value="7.7/,
    );
  });

  it('renders the right data in headless Chromium', {
    skip: existsSync(CHROMIUM) ? false : `${CHROMIUM} is absent (apt-get install chromium)`,
  }, async () => {
    const { chromium } = await import('playwright-core');
    const file = join(dir, 'report.html');
    writeFileSync(file, renderHtml({ ...report, ledger: LEDGER }));
    const profile = mkdtempSync(join(tmpdir(), 'keel-chromium-'));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    try {
      const page = await context.newPage();
      const requests: string[] = [];
      page.on('request', (r) => requests.push(r.url()));
      await page.goto(pathToFileURL(file).href);
      const bars = await page.$$eval('#chart-survival-churn rect.bar', (rects) =>
        rects.map((r) => ({
          series: r.getAttribute('data-series'),
          figure: r.getAttribute('data-figure'),
          value: r.getAttribute('data-value'),
          height: r.getBoundingClientRect().height,
        })),
      );
      const bar = (figure: string, series: string) =>
        bars.find((b) => b.figure === figure && b.series === series);
      assert.equal(bars.length, 10, 'five figures × two series');
      assert.equal(Number(bar('survival-head', 'ai')?.value), 11 / 16);
      assert.equal(Number(bar('survival-head', 'other')?.value), 15 / 16);
      assert.equal(Number(bar('churn-72h', 'ai')?.value), 3 / 14);
      assert.equal(Number(bar('change-failure', 'ai')?.value), 0.4);
      // Drawn heights follow the values (the axis is 0–100 %).
      const ai = bar('survival-head', 'ai')?.height ?? 0;
      const other = bar('survival-head', 'other')?.height ?? 0;
      assert.ok(ai > 0 && other > ai, `heights ${ai} and ${other}`);
      assert.equal(bar('churn-72h', 'other')?.height, 0);

      const weeks = await page.$$eval('#chart-batch-size rect.bar', (rects) =>
        rects.map((r) => [
          r.getAttribute('data-week'),
          r.getAttribute('data-series'),
          r.getAttribute('data-value'),
        ]),
      );
      assert.deepEqual(weeks, [
        ['2026-W02', 'ai', '3.5'],
        ['2026-W02', 'other', '2'],
        ['2026-W03', 'ai', '4'],
        ['2026-W03', 'other', '1'],
      ]);
      const cards = await page.$$eval('#weekly-numbers .card', (els) =>
        els.map((e) => [
          e.getAttribute('data-figure'),
          e.getAttribute('data-target'),
          e.getAttribute('data-met'),
          e.getAttribute('data-trend'),
        ]),
      );
      assert.deepEqual(cards, [
        ['cycle-time', '30', 'true', 'down'],
        ['rework-rate', '', null, 'down'],
        ['wait-state-ratio', '', null, 'down'],
        ['cost-per-shipped-feature', '2', 'false', 'up'],
        ['ai-acceptance-rate', '', null, 'up'],
      ]);
      const acceptance = await page.$$eval(
        '#weekly-numbers circle[data-series="aiAcceptanceRate"]',
        (c) => c.map((e) => [e.getAttribute('data-week'), e.getAttribute('data-value')]),
      );
      assert.deepEqual(acceptance, [
        ['2026-W02', '1'],
        ['2026-W03', '0.5'],
        ['2026-W04', '1'],
      ]);
      const cycle = await page.$$eval('#chart-weekly-cycle-time circle', (c) =>
        c.map((e) => ({ value: e.getAttribute('data-value'), y: e.getBoundingClientRect().y })),
      );
      assert.deepEqual(
        cycle.map((c) => c.value),
        ['24', '48', '24'],
      );
      // Higher values are drawn higher up.
      assert.ok((cycle[1]?.y ?? 0) < (cycle[0]?.y ?? 0));
      const target = await page.$eval('#chart-weekly-cycle-time line.target', (l) =>
        l.getAttribute('data-value'),
      );
      assert.equal(target, '30');
      const roles = await page.$$eval('#chart-cost-by-role rect.bar', (rects) =>
        rects.map((r) => ({
          role: r.getAttribute('data-role'),
          value: Number(r.getAttribute('data-value')),
          unpriced: r.getAttribute('data-unpriced'),
          width: r.getBoundingClientRect().width,
        })),
      );
      assert.deepEqual(
        roles.map((r) => [r.role, r.unpriced]),
        [
          ['implementer', '0'],
          ['verifier', '0'],
          ['documenter', '1'],
        ],
      );
      assert.ok(Math.abs((roles[0]?.value ?? 0) - 7.8) < 1e-9);
      assert.ok((roles[0]?.width ?? 0) > (roles[1]?.width ?? 0));
      assert.equal(roles[2]?.width, 0, 'an unpriced-only role draws no cost');
      const models = await page.$$eval('#chart-cost-by-model rect.bar', (rects) =>
        rects.map((r) => r.getAttribute('data-model')),
      );
      assert.deepEqual(models, ['claude-sonnet-4-5', 'gpt-5-mini', 'local-llama']);
      const costs = await page.$$eval('#cost-by-role-model rect[data-series="cost"]', (rects) =>
        rects.map((r) => ({
          value: r.getAttribute('data-value'),
          width: r.getBoundingClientRect().width,
        })),
      );
      assert.equal(costs.length, 4);
      assert.ok((costs[0]?.width ?? 0) > (costs[1]?.width ?? 0));
      assert.deepEqual(
        requests.filter((u) => !u.startsWith('file:')),
        [],
        'the page loads nothing from the network',
      );
    } finally {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    }
  });
});
