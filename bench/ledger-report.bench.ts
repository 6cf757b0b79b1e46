/**
 * Benchmark of `keel report`'s ledger half: appends a synthetic ledger of
 * KEEL_BENCH_ITEMS work items (default 2,000; each with two passes, rework,
 * waits, model calls with 2 kB answers, gates and a merge: ~25 events per item)
 * to a SQLite file, then times reading the events the figures use and
 * computing every ledger figure. Method and results: docs/bench/ledger-report.md.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type NewEvent, openLedger } from '../src/ledger/index.ts';
import { computeLedgerFigures, readLedgerEvents } from '../src/metrics/index.ts';

const ITEMS = Number(process.env.KEEL_BENCH_ITEMS ?? 2000);
const T0 = Date.UTC(2026, 0, 5) / 1000;
const iso = (s: number) => new Date(s * 1000).toISOString();
const ANSWER = 'x'.repeat(2048);

function itemEvents(n: number): NewEvent[] {
  const id = `WI-${n}`;
  const start = T0 + n * 1800;
  const out: NewEvent[] = [];
  const ev = (type: string, dt: number, data: Record<string, unknown>, actor = 'keel') =>
    out.push({ type, actor, workItemId: id, at: iso(start + dt), data });
  ev('work_item.submitted', 0, {
    id,
    type: n % 3 === 0 ? 'feature' : 'bug',
    team: `team-${n % 4}`,
    project: `p-${n % 3}`,
    org: 'acme',
  });
  for (const pass of ['spec', 'implement']) {
    for (const attempt of n % 5 === 0 ? [1, 2] : [1]) {
      const generationId = `${id}-${pass}-${attempt}`;
      ev('attempt.started', 60, {
        pass,
        attempt,
        generationId,
        agent: pass === 'spec' ? 'specifier' : 'coder',
      });
      for (let c = 0; c < 3; c++)
        ev(
          'model_call.recorded',
          120 + c,
          {
            callId: `${generationId}-${c}`,
            generationId,
            pass,
            attempt,
            purpose: 'pass',
            provider: 'anthropic',
            model: c === 2 ? 'local' : 'claude-sonnet-4-5',
            usage: {
              inputTokens: 1000,
              outputTokens: 300,
              cacheReadTokens: 0,
              cacheWriteTokens: 0,
              reasoningTokens: 0,
            },
            costUsd: c === 2 ? null : 0.01,
            priced: c !== 2,
            response: ANSWER,
          },
          pass === 'spec' ? 'specifier' : 'coder',
        );
      ev('attempt.finished', 600, {
        pass,
        attempt,
        generationId,
        outcome: 'succeeded',
        commit: null,
      });
      ev('gate.decided', 700, {
        pass,
        attempt,
        gate: 'tests',
        verdict: attempt === 2 || n % 5 ? 'passed' : 'failed',
      });
    }
  }
  ev('wait.started', 800, { reason: 'human', approvalId: `${id}/merge` });
  ev('wait.ended', 4000, { reason: 'human', approvalId: `${id}/merge` });
  ev('work_item.completed', 5000, { outcome: n % 7 === 0 ? 'aborted' : 'done' });
  if (n % 7 !== 0) ev('work_item.merged', 5400, {});
  return out;
}

const dir = mkdtempSync(join(tmpdir(), 'keel-bench-ledger-report-'));
try {
  const store = await openLedger({ kind: 'sqlite', path: join(dir, 'ledger.db') });
  let total = 0;
  const batch: NewEvent[] = [];
  for (let n = 1; n <= ITEMS; n++) {
    batch.push(...itemEvents(n));
    if (batch.length >= 2000 || n === ITEMS) {
      total += batch.length;
      await store.append(batch.splice(0));
    }
  }
  const readStart = performance.now();
  const events = await readLedgerEvents(store);
  const readMs = performance.now() - readStart;
  await store.close();
  const computeStart = performance.now();
  const figures = computeLedgerFigures({
    events,
    location: 'bench',
    now: T0 + ITEMS * 1800 + 86400,
    since: null,
    git: null,
    agentCategories: new Map([
      ['coder', 'implementer'],
      ['specifier', 'specifier'],
    ]),
    targets: { cycleTimeHours: 2 },
  });
  const computeMs = performance.now() - computeStart;
  const heapMb = process.memoryUsage().heapUsed / 1e6;
  console.log(
    `ledger report: ${ITEMS} items, ${total} events appended, ${events.length} read in ${readMs.toFixed(0)} ms (${Math.round(events.length / (readMs / 1000))} events/s); figures in ${computeMs.toFixed(0)} ms; ${figures.byWeek.length} weeks; heap ${heapMb.toFixed(0)} MB`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
