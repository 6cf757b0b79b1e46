/** `keel show ID`: a work item's workflow, its passes and their states, and its event timeline. */
import { NotInitializedError } from '../../core/index.ts';
import { getWorkItem, type WorkItemView } from '../../workitems/index.ts';
import type { CliContext, CommandModule } from '../context.ts';
import { openProjectLedger } from '../project.ts';

export const showCommand: CommandModule = {
  register(program, context) {
    program
      .command('show')
      .description('show a work item: workflow, passes and their states, event timeline')
      .argument('<id>', 'work item id, e.g. WI-3 (or just 3)')
      .option('--json', 'print the work item as JSON')
      .action(async (id: string, flags: { json?: boolean }) => run(context(), id, flags));
  },
};

async function run(ctx: CliContext, id: string, flags: { json?: boolean }): Promise<void> {
  const { ledger } = await openProjectLedger(ctx.cwd, ctx.env);
  if (!ledger) {
    throw new NotInitializedError(`no work item \`${id}\`: nothing has been recorded yet`, {
      hint: '`keel submit --title …` records the first work item',
    });
  }
  let item: WorkItemView;
  try {
    item = await getWorkItem(ledger, id);
  } finally {
    await ledger.close();
  }
  if (flags.json) ctx.out.json(item);
  else printItem(ctx, item);
}

/** A gate's verdicts over the attempts, e.g. ` ✗✓` for failed then passed. */
function verdicts(results: WorkItemView['passes'][number]['gateResults'], gate: string): string {
  const marks = results
    .filter((r) => r.gate === gate)
    .map((r) => (r.verdict === 'passed' ? '✓' : '✗'));
  return marks.length > 0 ? ` ${marks.join('')}` : '';
}

function printItem(ctx: CliContext, item: WorkItemView): void {
  const c = ctx.out.color;
  ctx.out.line(`${c.bold(item.id)}  ${item.title}`);
  ctx.out.line(`  status    ${item.status}`);
  ctx.out.line(`  type      ${item.type}, ${item.priority}`);
  ctx.out.line(`  org       ${item.org} / team ${item.team} / project ${item.project}`);
  ctx.out.line(`  owner     ${item.owner}`);
  if (item.labels.length > 0) ctx.out.line(`  labels    ${item.labels.join(', ')}`);
  if (item.source) ctx.out.line(`  source    ${item.source}`);
  if (item.budgetUsd !== null) ctx.out.line(`  budget    $${item.budgetUsd.toFixed(2)}`);
  ctx.out.line(`  submitted ${item.submittedAt}`);
  if (item.workflow) {
    ctx.out.line(
      `  workflow  ${item.workflow.name} v${item.workflow.version} (${item.workflow.file}), ${item.mode} mode`,
    );
  }
  if (item.body.trim()) {
    ctx.out.line();
    for (const line of item.body.trimEnd().split('\n')) ctx.out.line(`  ${c.dim('│')} ${line}`);
  }
  if (item.passes.length > 0) {
    ctx.out.line();
    ctx.out.table(
      ['PASS', 'AGENT', 'TIER', 'NEEDS', 'STATE', 'ATTEMPTS', 'GATES', 'TOKENS', 'COST'],
      item.passes.map((p) => [
        p.id,
        p.agent,
        p.tier ?? '—',
        p.needs.join(', ') || '—',
        p.state,
        String(p.attempts),
        p.gates.map((g) => `${g.id} (${g.kind})${verdicts(p.gateResults, g.id)}`).join(', ') || '—',
        String(p.tokens),
        `$${p.costUsd.toFixed(4)}${p.unpricedCalls > 0 ? ` +${p.unpricedCalls} unpriced` : ''}`,
      ]),
    );
    const waiting = item.passes.flatMap((p) => p.waitingFor);
    for (const id of waiting) ctx.out.line(`  waiting for a person: keel approve ${id} --as NAME`);
    if (item.outcomeReason) ctx.out.line(`  ${item.status}: ${item.outcomeReason}`);
  }
  ctx.out.line();
  ctx.out.line(c.bold('Timeline'));
  for (const e of item.timeline) {
    ctx.out.line(`  ${c.dim(`#${e.seq}`)} ${e.at}  ${e.actor.padEnd(12)} ${e.summary}`);
  }
}
