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
import {
  analyzeRepository,
  buildReport,
  type LedgerFigures,
  type ReportDocument,
  renderHtml,
} from '../../src/metrics/index.ts';
import { buildScenario } from './scenario.ts';
import { type SyntheticRepo, syntheticRepo } from './synthetic-repo.ts';

const CHROMIUM = '/usr/bin/chromium';

const LEDGER: LedgerFigures = {
  weekly: [
    {
      week: '2026-W02',
      cycleTimeHours: 30,
      reworkRate: 0.2,
      waitStateRatio: 0.4,
      costPerShippedFeatureUsd: 12.5,
      aiAcceptanceRate: 0.75,
    },
    {
      week: '2026-W03',
      cycleTimeHours: 20,
      reworkRate: 0.1,
      waitStateRatio: 0.3,
      costPerShippedFeatureUsd: 9,
      aiAcceptanceRate: 0.8,
    },
  ],
  costByRoleModel: [
    { role: 'implementer', model: 'claude-sonnet-4-5', costUsd: 42.5 },
    { role: 'verifier', model: 'gpt-5-mini', costUsd: 3.25 },
  ],
};

describe('HTML report', () => {
  let repo: SyntheticRepo;
  let report: ReportDocument;
  let dir: string;

  before(async () => {
    repo = syntheticRepo();
    buildScenario(repo);
    const analysis = await analyzeRepository({ repo: repo.dir, cache: false });
    report = buildReport(analysis, { since: null, until: null });
    dir = mkdtempSync(join(tmpdir(), 'keel-html-'));
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
    assert.match(
      withLedger,
      /data-series="cost" data-role="implementer" data-model="claude-sonnet-4-5" data-value="42.5"/,
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
      const acceptance = await page.$$eval(
        '#weekly-numbers circle[data-series="aiAcceptanceRate"]',
        (c) => c.map((e) => e.getAttribute('data-value')),
      );
      assert.deepEqual(acceptance, ['0.75', '0.8']);
      const costs = await page.$$eval('#cost-by-role-model rect[data-series="cost"]', (rects) =>
        rects.map((r) => ({
          value: r.getAttribute('data-value'),
          width: r.getBoundingClientRect().width,
        })),
      );
      assert.equal(costs.length, 2);
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
