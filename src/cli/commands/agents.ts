/** `keel agents import`: turns Claude Code subagent files into keel agents. */
import type { Command } from 'commander';
import { importSubagents } from '../../definitions/claude-import/index.ts';
import { findRepoRoot } from '../../definitions/starter/index.ts';
import type { CliContext, CommandModule } from '../context.ts';
import { commandGroup } from '../groups.ts';

interface ImportFlags {
  force?: boolean;
  json?: boolean;
}

/** Registers `keel agents import`. */
export const agentsCommand: CommandModule = {
  register(program: Command, context: () => CliContext) {
    commandGroup(program, 'agents', 'manage the agents defined in .keel/agents/')
      .command('import')
      .description('import Claude Code subagents (.claude/agents/*.md) as keel agents')
      .argument('[dir]', 'folder of subagent .md files, or one file (default: .claude/agents)')
      .option('--force', 'overwrite existing agents of the same name')
      .option('--json', 'print { imported, skipped, warnings } as JSON')
      .action((dir: string | undefined, flags: ImportFlags) => runImport(context(), dir, flags));
  },
};

function runImport(ctx: CliContext, dir: string | undefined, flags: ImportFlags): void {
  const repoRoot = findRepoRoot(ctx.cwd);
  const result = importSubagents({
    cwd: ctx.cwd,
    repoRoot,
    source: dir,
    force: flags.force === true,
  });
  if (flags.json) {
    ctx.out.json(result);
    return;
  }
  const c = ctx.out.color;
  const n = result.imported.length - result.skipped.length;
  ctx.out.line(`Imported ${n} agent${n === 1 ? '' : 's'} into .keel/agents/:`);
  ctx.out.table(
    ['AGENT', 'CATEGORY', 'TIER', 'FROM'],
    result.imported.map((e) => [
      result.skipped.includes(e.target) ? `${e.name} ${c.dim('(unchanged)')}` : e.name,
      e.category,
      e.tier,
      e.source,
    ]),
  );
  for (const w of result.warnings)
    ctx.out.err(`${ctx.out.errColor.yellow('warning:')} ${w.file}: ${w.message}`);
  ctx.out.line();
  ctx.out.line(
    `Review each agent's category, tier and access.write, then run ${c.cyan('keel validate')}.`,
  );
}
