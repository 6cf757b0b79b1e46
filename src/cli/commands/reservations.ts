/** `keel reservations`: who holds and who waits for the shared resources, leases, fencing tokens, deadlocks resolved. */
import { existsSync } from 'node:fs';
import { type LedgerStore, openLedger } from '../../ledger/index.ts';
import {
  LedgerReservations,
  ReservationManager,
  type ReservationView,
  reservationConfigFor,
  reservationView,
  type Target,
} from '../../scheduling/index.ts';
import type { CliContext, CommandModule } from '../context.ts';
import { ledgerConfigFor, loadProject, type Project } from '../project.ts';

export const reservationsCommand: CommandModule = {
  register(program, context) {
    program
      .command('reservations')
      .description(
        'show reservations of shared resources: holders, waiters, leases, fencing tokens, deadlocks resolved',
      )
      .option('--json', 'print the reservations as JSON')
      .action(async (flags: { json?: boolean }) => run(context(), flags));
  },
};

/** Opens the project's ledger for reading, or undefined when nothing has been recorded yet. */
export async function openLedgerForReading(
  ctx: CliContext,
): Promise<{ project: Omit<Project, 'ledger'>; ledger: LedgerStore | undefined }> {
  const project = await loadProject(ctx.cwd);
  const config = ledgerConfigFor(project.root, project.definitions.config.store, ctx.env);
  if (config.kind === 'sqlite' && !existsSync(config.path)) return { project, ledger: undefined };
  return { project, ledger: await openLedger(config, { env: ctx.env, create: false }) };
}

/** The reservations recorded in the project's ledger, as of now. */
export async function readReservations(
  project: Omit<Project, 'ledger'>,
  ledger: LedgerStore | undefined,
  now: number,
): Promise<ReservationView> {
  const config = reservationConfigFor(project.definitions);
  if (!ledger) return reservationView(ReservationManager.create(config), now);
  const r = await LedgerReservations.open(ledger, { config, now: () => now });
  return r.view(now);
}

async function run(ctx: CliContext, flags: { json?: boolean }): Promise<void> {
  const { project, ledger } = await openLedgerForReading(ctx);
  const now = Date.now();
  const view = await readReservations(project, ledger, now).finally(() => ledger?.close());
  if (flags.json) {
    ctx.out.json(view);
    return;
  }
  print(ctx, view);
}

function target(t: Target): string {
  if (t.kind === 'lock')
    return `${t.resource} ${t.mode}${t.range ? ` [${t.range[0]}, ${t.range[1]})` : ''}`;
  return t.amount === 1 ? t.resource : `${t.resource} ×${t.amount}`;
}

function seconds(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.round(ms / 60_000)} min`;
}

function print(ctx: CliContext, view: ReservationView): void {
  const c = ctx.out.color;
  const owner = (o: { agent: string; workItem: string; attempt: number }) =>
    `${o.agent} on ${o.workItem} #${o.attempt}`;
  ctx.out.line(c.bold(`Held (${view.holders.length})`));
  if (view.holders.length === 0) ctx.out.line('  nothing is held');
  else
    ctx.out.table(
      ['ID', 'OWNER', 'PRIORITY', 'RESOURCES', 'TOKENS', 'LEASE LEFT', 'EXPIRES'],
      view.holders.map((h) => [
        h.id,
        owner(h.owner),
        h.inheritedPriority ? `${h.priority} (inherits ${h.inheritedPriority})` : h.priority,
        h.targets.map(target).join(', '),
        h.grants
          .map((g) => `${g.resource}:${g.fence}${g.units ? ` (${g.units.join(', ')})` : ''}`)
          .join(', '),
        seconds(h.remainingMs),
        new Date(h.expiresAt).toISOString(),
      ]),
    );
  ctx.out.line();
  ctx.out.line(c.bold(`Waiting (${view.waiters.length})`));
  if (view.waiters.length === 0) ctx.out.line('  nobody waits');
  else
    ctx.out.table(
      ['#', 'ID', 'OWNER', 'PRIORITY', 'RESOURCES', 'WAITING'],
      view.waiters.map((w) => [
        String(w.position + 1),
        w.id,
        owner(w.owner),
        w.effectivePriority === w.priority ? w.priority : `${w.priority} → ${w.effectivePriority}`,
        w.targets.map(target).join(', ') + (w.requeued ? ` (requeued: ${w.requeued})` : ''),
        seconds(w.waitingMs),
      ]),
    );
  const tokens = Object.entries(view.tokens);
  if (tokens.length > 0) {
    ctx.out.line();
    ctx.out.line(
      `${c.bold('Last fencing tokens')}  ${tokens.map(([r, t]) => `${r}:${t}`).join('  ')}`,
    );
  }
  ctx.out.line();
  ctx.out.line(
    `${c.bold('Deadlocks resolved')} ${view.deadlocks.resolved}   ${c.dim(
      `granted ${view.stats.granted}, queued ${view.stats.queued}, refused ${view.stats.refused}, expired ${view.stats.expired}, preempted ${view.stats.preempted}, fencing rejections ${view.stats.fenceRejected}`,
    )}`,
  );
  for (const d of view.deadlocks.recent.slice(-5)) {
    ctx.out.line(
      `  ${new Date(d.at).toISOString()}  cycle ${d.cycle.join(' → ')}; victim ${d.victim} (${d.reason})`,
    );
  }
}
