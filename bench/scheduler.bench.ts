/**
 * Scheduler dispatch throughput: 100,000 queued passes (10 teams with weights,
 * 50 projects, four priorities, four runtimes, some needing labels) over 1,000
 * slots in four pools. Each round decides for every free slot, commits, and
 * completes what it dispatched; reported as dispatch decisions per second.
 * A second run gives 20% of the passes a table reservation with half of the
 * tables held elsewhere, so rounds re-plan around busy resources through the
 * real reservation manager. Method and results: docs/bench/scheduling.md.
 */
import type { Priority, RuntimeKind } from '../src/core/index.ts';
import {
  type ReadyPass,
  ReservationManager,
  reservationCheck,
  Scheduler,
} from '../src/scheduling/index.ts';

const QUEUED = Number(process.env.KEEL_BENCH_SCHEDULER_PASSES ?? 100_000);
const ROUNDS = Number(process.env.KEEL_BENCH_SCHEDULER_ROUNDS ?? 20);
const PRIORITIES: Priority[] = ['P0', 'P1', 'P2', 'P3'];
const RUNTIMES: RuntimeKind[] = ['llm', 'claude-code', 'codex', 'command'];
const TABLES = 200;

function passes(withResources: boolean): ReadyPass[] {
  return Array.from({ length: QUEUED }, (_, i) => {
    const p: ReadyPass = {
      id: `WI-${i}/implement#1`,
      workItem: `WI-${i}`,
      pass: 'implement',
      attempt: 1,
      team: `team-${i % 10}`,
      project: `project-${i % 50}`,
      priority: PRIORITIES[(i * 7) % 4]!,
      readyAt: i,
      runtime: RUNTIMES[i % 4]!,
    };
    if (i % 13 === 0) p.labels = ['gpu'];
    if (withResources && i % 5 === 0)
      p.resources = [{ resource: `db.s.t${i % TABLES}`, mode: 'X' }];
    return p;
  });
}

function run(label: string, withResources: boolean): void {
  const s = Scheduler.create({
    pools: [
      { id: 'local', slots: 400, runtimes: ['llm', 'command'] },
      { id: 'agents', slots: 400, runtimes: ['claude-code', 'codex'] },
      {
        id: 'gpu',
        slots: 100,
        labels: ['gpu'],
        runtimes: ['llm', 'claude-code', 'codex', 'command'],
      },
      { id: 'spare', slots: 100 },
    ],
    teamWeights: { 'team-0': 4, 'team-1': 2, 'team-2': 2 },
  });
  const enqueue = performance.now();
  for (const p of passes(withResources)) s.enqueue(p);
  const enqueueMs = performance.now() - enqueue;
  const checks: Parameters<Scheduler['decide']>[1] = {
    budget: (p) =>
      p.team === 'team-9' && p.priority === 'P3'
        ? { ok: false, reason: 'budget', detail: 'team-9 at its limit' }
        : { ok: true },
  };
  if (withResources) {
    const m = ReservationManager.create({
      resources: [
        { id: 'db', kind: 'database' },
        { id: 'db.s', kind: 'schema', parent: 'db' },
        ...Array.from({ length: TABLES }, (_, i) => ({
          id: `db.s.t${i}`,
          kind: 'table' as const,
          parent: 'db.s',
        })),
      ],
    });
    for (let t = 0; t < TABLES; t += 2) {
      m.request(
        {
          owner: { agent: 'other', workItem: 'elsewhere', attempt: 1 },
          priority: 'P0',
          targets: [{ resource: `db.s.t${t}`, mode: 'X' }],
          leaseMs: 3_600_000,
        },
        0,
      );
    }
    checks.resources = reservationCheck(m);
  }
  let decisions = 0;
  let waits = 0;
  let decideMs = 0;
  const now = QUEUED + 1;
  for (let round = 0; round < ROUNDS; round++) {
    const start = performance.now();
    const d = s.decide(now + round, checks);
    decideMs += performance.now() - start;
    s.commit(d);
    decisions += d.dispatch.length;
    waits += d.waits.length;
    for (const x of d.dispatch) s.complete(x.pass);
  }
  console.log(
    `${label}: enqueue ${QUEUED.toLocaleString('en-US')} passes ${enqueueMs.toFixed(0)} ms; ` +
      `${ROUNDS} rounds, ${decisions.toLocaleString('en-US')} dispatches, ${waits.toLocaleString('en-US')} waits recorded, ` +
      `decide ${(decideMs / ROUNDS).toFixed(1)} ms/round = ${Math.round((decisions / decideMs) * 1000).toLocaleString('en-US')} dispatch decisions/s`,
  );
}

run('no reservations', false);
run('20% need a table, half the tables busy', true);
