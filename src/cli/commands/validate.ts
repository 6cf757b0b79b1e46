/**
 * `keel validate`: checks every definition under `.keel/` and prints each
 * problem as `file:line:column  severity  rule  message` with a hint, so
 * terminals and editors can jump to it. Exit 0 when valid (warnings allowed),
 * 1 when any error is found or `.keel/` is missing.
 */
import type { Command } from 'commander';
import type { Diagnostic } from '../../core/index.ts';
import {
  ensureInitialized,
  findDefinitionsRoot,
  loadDefinitions,
} from '../../definitions/index.ts';
import type { CliContext, CommandModule } from '../context.ts';

interface ValidateFlags {
  json?: boolean;
}

/** The `--json` shape, documented in docs/cli/validate.md. */
export interface ValidateJson {
  valid: boolean;
  errors: number;
  warnings: number;
  diagnostics: {
    severity: Diagnostic['severity'];
    rule: string;
    message: string;
    file: string;
    line: number;
    column: number;
    path: string;
    hint: string | null;
  }[];
}

/** Registers `keel validate`. */
export const validateCommand: CommandModule = {
  register(program: Command, context: () => CliContext) {
    program
      .command('validate')
      .description(
        'check the workflows, agents and settings under .keel/ (file:line:column per problem)',
      )
      .option('--json', 'print { valid, errors, warnings, diagnostics } as JSON')
      .action((flags: ValidateFlags) => runValidate(context(), flags));
  },
};

async function runValidate(ctx: CliContext, flags: ValidateFlags): Promise<void> {
  const root = (await findDefinitionsRoot(ctx.cwd)) ?? ctx.cwd;
  await ensureInitialized(root);
  const { definitions, diagnostics } = await loadDefinitions(root);
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  ctx.setExitCode(errors > 0 ? 1 : 0);

  if (flags.json) {
    const json: ValidateJson = {
      valid: errors === 0,
      errors,
      warnings,
      diagnostics: diagnostics.map((d) => ({
        severity: d.severity,
        rule: d.rule,
        message: d.message,
        file: d.location.file,
        line: d.location.line,
        column: d.location.column,
        path: d.path,
        hint: d.hint ?? null,
      })),
    };
    ctx.out.json(json);
    return;
  }

  const c = ctx.out.color;
  for (const d of diagnostics) {
    const where = `${d.location.file}:${d.location.line}:${d.location.column}`;
    const severity = d.severity === 'error' ? c.red('error') : c.yellow('warning');
    ctx.out.line(`${c.bold(where)}  ${severity}  ${c.dim(d.rule)}  ${d.message}`);
    if (d.hint) ctx.out.line(`  ${c.dim('hint:')} ${d.hint}`);
  }
  if (diagnostics.length > 0) ctx.out.line();
  const counts = `${plural(errors, 'error')}, ${plural(warnings, 'warning')}`;
  if (definitions) {
    ctx.out.line(
      `${c.green('✓')} .keel/ is valid: ${plural(definitions.workflows.length, 'workflow')}, ` +
        `${plural(definitions.agents.length, 'agent')} (${counts})`,
    );
  } else {
    ctx.out.line(`${c.red('✗')} .keel/ is invalid: ${counts}`);
  }
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
