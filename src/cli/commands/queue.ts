/**
 * `keel queue`: what runs now, what is ready to run, and what waits and why
 * (resource, pool, budget, human) with how long — from the ledger, so it shows
 * the same picture from any terminal while `keel run` works.
 */
import { UsageError } from '../../core/index.ts';
import type { Definitions } from '../../definitions/index.ts';
import { buildItemPlan, decide, projectRun } from '../../engine/index.ts';
import type { LedgerEvent, LedgerStore } from '../../ledger/index.ts';
import {
  QUEUE_EVENT_TYPES,
  type QueueView,
  queueFromEvents,
  type ReadyEntry,
} from '../../scheduling/index.ts';
import {
  WORK_ITEM_PLANNED,
  WORK_ITEM_SUBMITTED,
  type WorkItemPlanned,
  type WorkItemSubmitted,
} from '../../workitems/index.ts';
import type { CliContext, CommandModule } from '../context.ts';
import { openLedgerForReading } from './reservations.ts';

export const queueCommand: CommandModule = {
  register(program, context) {
    program
      .command('queue')
      .description(
        'show what is running, ready and waiting (and why: resource, pool, budget, human)',
      )
      .option('--json', 'print the queue as JSON')
      .option('--recent <n>', 'how many ended waits to list (default 10)', '10')
      .action(async (flags: { json?: boolean; recent: string }) => run(context(), flags));
  },
};

async function run(ctx: CliContext, flags: { json?: boolean; recent: string }): Promise<void> {
  const recent = Number(flags.recent);
  if (!Number.isInteger(recent) || recent < 0) {
    throw new UsageError(`--recent must be a whole number ≥ 0, got "${flags.recent}"`, {
      hint: 'e.g. keel queue --recent 20',
    });
  }
  const { project, ledger } = await openLedgerForReading(ctx);
  const now = new Date();
  const view: QueueView = ledger
    ? await readQueue(project.definitions, ledger, now, recent).finally(() => ledger.close())
    : {
        at: now.toISOString(),
        running: [],
        ready: [],
        waiting: [],
        recent: [],
        counts: { running: 0, ready: 0, waiting: 0 },
      };
  if (flags.json) ctx.out.json(view);
  else print(ctx, view);
}

/** The queue from the ledger: running and waiting from events, ready from the engine's own decision. */
export async function readQueue(
  definitions: Definitions,
  ledger: LedgerStore,
  now: Date,
  recent: number,
): Promise<QueueView> {
  const events = await ledger.read({ types: [...QUEUE_EVENT_TYPES] });
  const base = queueFromEvents(events, now, { recent });
  const ready = await readyPasses(definitions, ledger, events, base);
  return {
    ...base,
    ready,
    counts: { running: base.running.length, ready: ready.length, waiting: base.waiting.length },
  };
}

/** Passes the engine would start (or whose gates it would evaluate) now, not already running or waiting. */
async function readyPasses(
  definitions: Definitions,
  ledger: LedgerStore,
  events: readonly LedgerEvent[],
  base: Omit<QueueView, 'ready' | 'counts'>,
): Promise<ReadyEntry[]> {
  const completed = new Set(
    events.filter((e) => e.type === 'work_item.completed').map((e) => e.workItemId),
  );
  const submitted = new Map<string, WorkItemSubmitted>();
  const planned = new Map<string, WorkItemPlanned>();
  for (const e of await ledger.read({ types: [WORK_ITEM_SUBMITTED, WORK_ITEM_PLANNED] })) {
    if (!e.workItemId || completed.has(e.workItemId)) continue;
    if (e.type === WORK_ITEM_SUBMITTED)
      submitted.set(e.workItemId, e.data as unknown as WorkItemSubmitted);
    else planned.set(e.workItemId, e.data as unknown as WorkItemPlanned);
  }
  const out: ReadyEntry[] = [];
  for (const [id, item] of submitted) {
    const plan = planned.get(id);
    if (!plan) continue;
    let itemPlan: ReturnType<typeof buildItemPlan>;
    try {
      itemPlan = buildItemPlan(definitions, item, plan);
    } catch {
      // Its workflow changed or vanished since it was planned: `keel show` explains; nothing is ready.
      continue;
    }
    const busy = new Set([
      ...base.running.filter((r) => r.workItem === id).map((r) => r.pass),
      ...base.waiting.filter((w) => w.workItem === id && w.pass).map((w) => w.pass as string),
    ]);
    const state = projectRun(id, await ledger.read({ workItemId: id }));
    for (const a of decide(state, itemPlan.plan, busy)) {
      if (a.kind === 'start_attempt' || a.kind === 'evaluate_gate')
        out.push({ workItem: id, pass: a.pass, action: a.kind, attempt: a.attempt });
    }
  }
  return out;
}

function duration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 7_200_000) return `${Math.round(ms / 60_000)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

function print(ctx: CliContext, view: QueueView): void {
  const c = ctx.out.color;
  ctx.out.line(c.bold(`Running (${view.running.length})`));
  if (view.running.length === 0) ctx.out.line('  nothing runs');
  else
    ctx.out.table(
      ['ITEM', 'PASS', 'ATTEMPT', 'AGENT', 'RUNTIME', 'FOR'],
      view.running.map((r) => [
        r.workItem,
        r.pass,
        String(r.attempt),
        r.agent,
        r.runtime,
        duration(r.forMs),
      ]),
    );
  ctx.out.line();
  ctx.out.line(c.bold(`Ready (${view.ready.length})`));
  if (view.ready.length === 0) ctx.out.line('  nothing is ready');
  else
    ctx.out.table(
      ['ITEM', 'PASS', 'NEXT', 'ATTEMPT'],
      view.ready.map((r) => [
        r.workItem,
        r.pass,
        r.action === 'start_attempt' ? 'attempt' : 'gates',
        String(r.attempt),
      ]),
    );
  ctx.out.line();
  ctx.out.line(c.bold(`Waiting (${view.waiting.length})`));
  if (view.waiting.length === 0) ctx.out.line('  nothing waits');
  else
    ctx.out.table(
      ['ITEM', 'PASS', 'WHY', 'DETAIL', 'FOR'],
      view.waiting.map((w) => [w.workItem, w.pass ?? '—', w.reason, w.detail, duration(w.forMs)]),
    );
  if (view.recent.length > 0) {
    ctx.out.line();
    ctx.out.line(c.bold('Recent waits'));
    ctx.out.table(
      ['ITEM', 'PASS', 'WHY', 'DETAIL', 'WAITED', 'ENDED'],
      view.recent.map((w) => [
        w.workItem,
        w.pass ?? '—',
        w.reason,
        w.detail,
        duration(w.durationMs),
        w.until,
      ]),
    );
  }
}
