/** `keel init`: writes the starter definitions (.keel/) into the current repository. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { checkName, initRepository, type StarterNames } from '../../definitions/starter/index.ts';
import type { CliContext, CommandModule } from '../context.ts';

interface InitFlags {
  force?: boolean;
  org?: string;
  team?: string;
  project?: string;
  json?: boolean;
}

/** Registers `keel init`. */
export const initCommand: CommandModule = {
  register(program: Command, context: () => CliContext) {
    program
      .command('init')
      .description('write a starter set of workflows, agents and settings into .keel/')
      .option('--force', 'overwrite existing files')
      .option(
        '--org <name>',
        'organisation name (default: owner of the origin remote, else the repo folder)',
      )
      .option('--team <name>', 'team name (default: the repo folder name)')
      .option('--project <name>', 'project name (default: the repo folder name)')
      .option('--json', 'print { written, skipped } as JSON')
      .action((flags: InitFlags) => runInit(context(), flags));
  },
};

function runInit(ctx: CliContext, flags: InitFlags): void {
  // Option values are checked before the repository, so a typo is a usage error (2).
  const names: Partial<StarterNames> = {};
  for (const key of ['org', 'team', 'project'] as const) {
    const value = flags[key];
    if (value !== undefined) names[key] = checkName(key, value);
  }
  const result = initRepository({ cwd: ctx.cwd, force: flags.force === true, names });
  if (flags.json) {
    ctx.out.json({ written: result.written, skipped: result.skipped });
    return;
  }
  const c = ctx.out.color;
  const { org, team, project } = result.names;
  ctx.out.line(
    `Wrote ${result.written.length} file${result.written.length === 1 ? '' : 's'} to ${result.repoRoot} ` +
      `(org ${c.bold(org)}, team ${c.bold(team)}, project ${c.bold(project)}):`,
  );
  for (const path of result.written) ctx.out.line(`  ${c.green('+')} ${path}`);
  for (const path of result.skipped)
    ctx.out.line(`  ${c.dim('=')} ${path} ${c.dim('(unchanged)')}`);
  ctx.out.line();
  ctx.out.line('Next steps:');
  ctx.out.line(
    `  1. Review .keel/keel.yaml: roles, budgets and gate commands are examples to adapt.`,
  );
  ctx.out.line(`  2. ${c.cyan('keel validate')}   check the definitions`);
  ctx.out.line(
    `  3. ${c.cyan('keel submit --title "Add CSV export"')}   hand keel a first work item`,
  );
  ctx.out.line(`  4. Commit .keel/ (its .gitignore keeps .keel/state/, the ledger, out of git).`);
  if (existsSync(join(result.repoRoot, '.claude', 'agents'))) {
    ctx.out.line(
      `  5. ${c.cyan('keel agents import')}   bring this repository's Claude Code subagents over`,
    );
  }
}
