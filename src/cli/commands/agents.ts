/** `keel agents import`: turns Claude Code subagent files into keel agents. */
import { isAbsolute, relative } from 'node:path';
import type { Command } from 'commander';
import { importSubagents } from '../../definitions/claude-import/index.ts';
import { findDefinitionsRoot } from '../../definitions/index.ts';
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

async function runImport(
  ctx: CliContext,
  dir: string | undefined,
  flags: ImportFlags,
): Promise<void> {
  const gitRoot = findRepoRoot(ctx.cwd);
  // An existing .keel/ (found upwards, as `keel validate` finds it) receives the
  // agents; otherwise they start a new one at the top of the work tree.
  const found = await findDefinitionsRoot(ctx.cwd);
  const repoRoot = found !== undefined && isWithin(gitRoot, found) ? found : gitRoot;
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

function isWithin(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}
