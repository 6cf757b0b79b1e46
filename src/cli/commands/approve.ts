/**
 * `keel approve ID` and `keel reject ID`: a person decides what waits for
 * them (a checkpoint, a human gate, an escalation, a human pass), from any
 * terminal; the running `keel run` picks the decision up.
 */
import { UsageError } from '../../core/index.ts';
import { decideApproval } from '../../engine/index.ts';
import { currentActor } from '../../repo/index.ts';
import type { CliContext, CommandModule } from '../context.ts';
import { loadProject, openLedgerOf } from '../project.ts';

interface DecideFlags {
  as?: string;
  note?: string;
  json?: boolean;
}

export const approveCommand: CommandModule = {
  register(program, context) {
    for (const decision of ['approved', 'rejected'] as const) {
      const name = decision === 'approved' ? 'approve' : 'reject';
      program
        .command(name)
        .description(
          decision === 'approved'
            ? 'approve what waits for a person (see `keel pending`)'
            : 'reject what waits for a person, saying why (--note)',
        )
        .argument('<approval-id>', 'the approval, e.g. WI-3/integration/merge-approval')
        .option(
          '--as <name>',
          'who decides (default: your git user.name); must be in the role when it lists members',
        )
        .option(
          '--note <text>',
          decision === 'approved' ? 'a note recorded with the decision' : 'why (required)',
        )
        .option('--json', 'print the recorded decision as JSON')
        .action(async (id: string, flags: DecideFlags) => run(context(), id, decision, flags));
    }
  },
};

async function run(
  ctx: CliContext,
  approvalId: string,
  decision: 'approved' | 'rejected',
  flags: DecideFlags,
): Promise<void> {
  if (decision === 'rejected' && !flags.note?.trim()) {
    throw new UsageError('keel reject needs --note saying why', {
      hint: 'the note is the finding the work item records: e.g. --note "the migration drops a column still in use"',
    });
  }
  const by = flags.as?.trim() || currentActor(ctx.cwd, ctx.env);
  const project = await loadProject(ctx.cwd);
  const ledger = await openLedgerOf(project, ctx.env);
  try {
    const recorded = await decideApproval(ledger, {
      approvalId,
      decision,
      by,
      note: flags.note?.trim() ?? '',
    });
    if (flags.json) ctx.out.json(recorded);
    else ctx.out.line(`${recorded.approvalId} ${recorded.decision} by ${recorded.by}`);
  } finally {
    await ledger.close();
  }
}
