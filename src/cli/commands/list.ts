/** `keel list`: work items and their status. */
import { UsageError } from '../../core/index.ts';
import { listWorkItems, WORK_ITEM_STATUSES, type WorkItemStatus } from '../../workitems/index.ts';
import type { CliContext, CommandModule } from '../context.ts';
import { openProjectLedger } from '../project.ts';

interface ListFlags {
  status: string[];
  type: string[];
  json?: boolean;
}

const collect = (v: string, acc: string[]) => [...acc, ...v.split(',').map((s) => s.trim())];

export const listCommand: CommandModule = {
  register(program, context) {
    program
      .command('list')
      .description('list work items with their status and workflow')
      .option(
        '--status <status>',
        `only these statuses (${WORK_ITEM_STATUSES.join(', ')}); repeatable or comma-separated`,
        collect,
        [],
      )
      .option(
        '--type <type>',
        'only these work item types; repeatable or comma-separated',
        collect,
        [],
      )
      .option('--json', 'print the work items as JSON')
      .action(async (flags: ListFlags) => run(context(), flags));
  },
};

async function run(ctx: CliContext, flags: ListFlags): Promise<void> {
  for (const s of flags.status) {
    if (!(WORK_ITEM_STATUSES as readonly string[]).includes(s)) {
      throw new UsageError(`--status: unknown status \`${s}\``, {
        hint: `statuses are ${WORK_ITEM_STATUSES.join(', ')}`,
      });
    }
  }
  const { ledger } = await openProjectLedger(ctx.cwd, ctx.env);
  let items: Awaited<ReturnType<typeof listWorkItems>> = [];
  if (ledger) {
    try {
      items = await listWorkItems(ledger, {
        statuses: flags.status as WorkItemStatus[],
        types: flags.type,
      });
    } finally {
      await ledger.close();
    }
  }
  if (flags.json) {
    ctx.out.json({
      items: items.map(({ timeline: _t, body: _b, ...summary }) => ({
        ...summary,
        passes: summary.passes.map((p) => ({ id: p.id, agent: p.agent, state: p.state })),
      })),
    });
    return;
  }
  if (items.length === 0) {
    ctx.out.line(
      'no work items' +
        (flags.status.length + flags.type.length > 0
          ? ' match'
          : ' yet: `keel submit --title …` records one'),
    );
    return;
  }
  ctx.out.table(
    ['ID', 'PRI', 'TYPE', 'STATUS', 'WORKFLOW', 'PASSES', 'TITLE'],
    items.map((i) => [
      i.id,
      i.priority,
      i.type,
      i.status,
      i.workflow ? `${i.workflow.name} (${i.mode})` : '—',
      `${i.passes.filter((p) => p.state === 'passed').length}/${i.passes.length}`,
      i.title,
    ]),
  );
}
