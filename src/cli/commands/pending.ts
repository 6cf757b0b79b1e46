/** `keel pending`: what waits for a person — checkpoints, human gates, escalations — and how to decide it. */
import { listPending } from '../../engine/index.ts';
import type { CliContext, CommandModule } from '../context.ts';
import { openProjectLedger } from '../project.ts';

export const pendingCommand: CommandModule = {
  register(program, context) {
    program
      .command('pending')
      .description(
        'list what waits for a person (approvals of checkpoints, human gates, escalations)',
      )
      .option('--json', 'print the list as JSON')
      .action(async (flags: { json?: boolean }) => run(context(), flags));
  },
};

async function run(ctx: CliContext, flags: { json?: boolean }): Promise<void> {
  const { ledger } = await openProjectLedger(ctx.cwd, ctx.env);
  const pending = ledger ? await listPending(ledger).finally(() => ledger.close()) : [];
  if (flags.json) {
    ctx.out.json(pending);
    return;
  }
  if (pending.length === 0) {
    ctx.out.line('nothing waits for a person');
    return;
  }
  ctx.out.table(
    ['APPROVAL', 'KIND', 'ROLE', 'MEMBERS', 'SINCE', 'REASON'],
    pending.map((p) => [
      p.approvalId,
      p.kind,
      p.role,
      p.members.join(', ') || 'anyone',
      p.requestedAt,
      p.reason,
    ]),
  );
  ctx.out.line();
  ctx.out.line(
    'decide with: keel approve APPROVAL --as NAME [--note …]  |  keel reject APPROVAL --as NAME --note WHY',
  );
}
