/**
 * `keel run [ID…]`: the orchestrator. Drives work items through their passes
 * (attempts, gates, rework, escalation, approvals) until they complete — or,
 * with --until-idle, until only people can move them. Progress goes to
 * stderr (a live view on a terminal, one line per event otherwise); a summary
 * table (or --json) goes to stdout.
 */
import { UsageError } from '../../core/index.ts';
import type { Definitions } from '../../definitions/index.ts';
import {
  describeEvent,
  type ItemSummary,
  type RunResult,
  runWorkItems,
  summarizeRun,
} from '../../engine/index.ts';
import type { LedgerEvent, LedgerStore } from '../../ledger/index.ts';
import { assertCodingAgentsAvailable, type CodingAgentTool } from '../../runtimes/index.ts';
import { listWorkItems, normalizeWorkItemId } from '../../workitems/index.ts';
import type { CliContext, CommandModule } from '../context.ts';
import { loadProject, openLedgerOf } from '../project.ts';
import { LiveView } from './run-view.ts';

interface RunFlags {
  untilIdle?: boolean;
  /** False with --no-cache. */
  cache?: boolean;
  concurrency: string;
  json?: boolean;
}

export const runCommand: CommandModule = {
  register(program, context) {
    program
      .command('run')
      .description('drive work items through their passes and gates (the orchestrator)')
      .argument('[ids...]', 'work items to drive (default: every item not completed)')
      .option('--until-idle', 'exit when nothing can progress without a person')
      .option('--concurrency <n>', 'attempts and gate checks in flight at once', '2')
      .option('--no-cache', 'regenerate every pass output instead of reusing an identical one')
      .option('--json', 'print the summary as JSON')
      .action(async (ids: string[], flags: RunFlags) => run(context(), ids, flags));
  },
};

async function run(ctx: CliContext, ids: string[], flags: RunFlags): Promise<void> {
  const concurrency = Number(flags.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
    throw new UsageError(
      `--concurrency must be a whole number from 1 to 64, not \`${flags.concurrency}\``,
    );
  }
  const items = ids.map((text) => {
    const id = normalizeWorkItemId(text);
    if (!id) throw new UsageError(`\`${text}\` is not a work item id (expected WI-3 or 3)`);
    return id;
  });
  const project = await loadProject(ctx.cwd);
  const ledger = await openLedgerOf(project, ctx.env);
  try {
    await checkCodingAgents(ledger, project.definitions, items, ctx);
  } catch (error) {
    await ledger.close();
    throw error;
  }
  const stop = new AbortController();
  let stoppedBy: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    stoppedBy = signal;
    stop.abort();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const live = process.stderr.isTTY === true && ctx.env.CI === undefined && !flags.json;
  const view = live
    ? new LiveView((text) => process.stderr.write(text), ctx.out.errColor)
    : undefined;
  const onEvent = (event: LedgerEvent) => {
    if (view) view.update(event);
    else {
      const line = describeEvent(event);
      if (line) ctx.out.err(line);
    }
  };
  let result: RunResult;
  try {
    result = await runWorkItems({
      root: project.root,
      definitions: project.definitions,
      ledger,
      env: ctx.env,
      items,
      concurrency,
      untilIdle: flags.untilIdle === true,
      noCache: flags.cache === false,
      signal: stop.signal,
      onEvent,
    });
  } finally {
    view?.finish();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await ledger.close();
  }
  const summaries = result.items.map((i) => summarizeRun(i.state, i.plan.plan));
  if (flags.json)
    ctx.out.json({ items: summaries, idle: result.idle, stopped: stop.signal.aborted });
  else printSummaries(ctx, summaries);
  if (summaries.some((s) => s.outcome === 'failed' || s.outcome === 'aborted')) ctx.setExitCode(1);
  // Stopped by a signal: say so in the exit status, as shells expect (128 + signal number).
  if (stoppedBy) {
    ctx.out.err(`stopped by ${stoppedBy}: \`keel run\` resumes where this run left off`);
    ctx.setExitCode(stoppedBy === 'SIGINT' ? 130 : 143);
  }
}

/** Fails before dispatching anything when a coding-agent CLI the remaining passes need cannot start. */
async function checkCodingAgents(
  ledger: LedgerStore,
  definitions: Definitions,
  only: readonly string[],
  ctx: CliContext,
): Promise<void> {
  const tools = new Set<CodingAgentTool>();
  for (const item of await listWorkItems(ledger)) {
    if (only.length > 0 && !only.includes(item.id)) continue;
    if (item.status === 'done' || item.status === 'failed' || item.status === 'aborted') continue;
    for (const pass of item.passes) {
      // Only passes yet to start: one already under way may be waiting on its gates or a person.
      if (pass.state !== 'ready' && pass.state !== 'pending') continue;
      const kind = definitions.agents.find((a) => a.name === pass.agent)?.runtime.kind;
      if (kind === 'claude-code' || kind === 'codex') tools.add(kind);
    }
  }
  assertCodingAgentsAvailable(tools, definitions.config.runtimes, ctx.env, definitions.root);
}

/** Prints the per-item summary tables: passes, attempts, gate results, tokens and cost. */
export function printSummaries(ctx: CliContext, summaries: readonly ItemSummary[]): void {
  const c = ctx.out.color;
  if (summaries.length === 0) {
    ctx.out.line('nothing to run: every work item is complete (`keel submit` records a new one)');
    return;
  }
  for (const s of summaries) {
    const mark =
      s.outcome === 'done'
        ? c.green(s.outcome)
        : s.outcome === 'waiting'
          ? c.yellow(s.outcome)
          : c.red(s.outcome);
    ctx.out.line(`${c.bold(s.itemId)}  ${mark} — ${s.reason}`);
    ctx.out.table(
      ['PASS', 'STATE', 'ATTEMPTS', 'GATES', 'TOKENS', 'COST'],
      [
        ...s.passes.map((p) => [
          p.pass,
          p.state,
          String(p.attempts),
          p.gates.map((g) => `${g.gate} ${g.verdict === 'passed' ? '✓' : '✗'}`).join(', ') || '—',
          String(p.tokens),
          cost(p.costUsd, p.unpricedCalls),
        ]),
        [
          'total',
          '',
          String(s.passes.reduce((n, p) => n + p.attempts, 0)),
          '',
          String(s.tokens),
          cost(s.costUsd, s.unpricedCalls),
        ],
      ],
    );
    for (const id of s.waitingFor)
      ctx.out.line(`  waiting: keel approve ${id} --as NAME   (or keel reject … --note WHY)`);
    ctx.out.line();
  }
}

function cost(usd: number, unpriced: number): string {
  return `$${usd.toFixed(4)}${unpriced > 0 ? ` +${unpriced} unpriced` : ''}`;
}
