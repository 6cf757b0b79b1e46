/** `keel submit`: record a work item, select its workflow and plan its passes. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Option } from 'commander';
import { InvalidInputError, PRIORITIES, UsageError } from '../../core/index.ts';
import { currentActor } from '../../repo/index.ts';
import {
  MAX_BODY_BYTES,
  prepareSubmission,
  recordSubmission,
  type WorkItemView,
} from '../../workitems/index.ts';
import type { CliContext, CommandModule } from '../context.ts';
import { loadProject, openLedgerOf } from '../project.ts';
import { describeForecast, forecastSubmitted } from './forecast.ts';

interface SubmitFlags {
  title: string;
  type: string;
  priority: string;
  bodyFile?: string;
  project?: string;
  team?: string;
  owner?: string;
  budget?: string;
  label: string[];
  source?: string;
  mode?: string;
  json?: boolean;
}

export const submitCommand: CommandModule = {
  register(program, context) {
    program
      .command('submit')
      .description('record a work item, select its workflow and plan its passes')
      .requiredOption('--title <text>', 'one-line title')
      .option(
        '--type <type>',
        'work item type: feature, bug, incident, security, refactor, docs…',
        'feature',
      )
      .addOption(
        new Option('--priority <P>', 'priority, P0 most urgent').choices(PRIORITIES).default('P2'),
      )
      .option('--body-file <file>', 'read the description from a file (- for standard input)')
      .option('--project <name>', 'project (default: keel.yaml project)')
      .option('--team <name>', 'team (default: keel.yaml team)')
      .option('--owner <name>', 'owner (default: your git user.name)')
      .option('--budget <usd>', 'budget for this work item in US dollars')
      .option(
        '--label <label>',
        'a label (repeatable)',
        (v: string, acc: string[]) => [...acc, v],
        [],
      )
      .option('--source <url>', 'link to the ticket: an issue URL or a key such as ABC-123')
      .option('--mode <mode>', "speed/quality mode (default: the workflow's)")
      .option('--json', 'print the work item as JSON')
      .action(async (flags: SubmitFlags) => run(context(), flags));
  },
};

async function run(ctx: CliContext, flags: SubmitFlags): Promise<void> {
  const body = flags.bodyFile === undefined ? '' : readBody(flags.bodyFile, ctx);
  const budgetUsd = flags.budget === undefined ? undefined : parseBudget(flags.budget);
  const project = await loadProject(ctx.cwd);
  const prepared = prepareSubmission(
    {
      title: flags.title,
      body,
      type: flags.type,
      priority: flags.priority as (typeof PRIORITIES)[number],
      project: flags.project,
      team: flags.team,
      owner: flags.owner,
      labels: flags.label,
      source: flags.source,
      budgetUsd,
      mode: flags.mode,
    },
    { definitions: project.definitions, actor: currentActor(project.root, ctx.env) },
  );
  const ledger = await openLedgerOf(project, ctx.env);
  try {
    const item = await recordSubmission(prepared, ledger);
    const { forecast, approvalId } = await forecastSubmitted(ledger, project.definitions, item);
    if (flags.json) ctx.out.json(item);
    else printSubmitted(ctx, item);
    if (!flags.json) ctx.out.line(`  forecast: ${describeForecast(forecast)}`);
    if (approvalId)
      ctx.out.err(`${item.id} waits for approval ${approvalId} (forecast over the limit)`);
  } finally {
    await ledger.close();
  }
}

function readBody(file: string, ctx: CliContext): string {
  try {
    const buffer = file === '-' ? readFileSync(0) : readFileSync(resolve(ctx.cwd, file));
    if (buffer.length > MAX_BODY_BYTES) {
      throw new InvalidInputError(
        `--body-file ${file} is ${buffer.length} bytes; the limit is ${MAX_BODY_BYTES}`,
        {
          hint: 'link to the full text with --source instead',
        },
      );
    }
    return buffer.toString('utf8');
  } catch (error) {
    if (error instanceof InvalidInputError) throw error;
    throw new UsageError(`--body-file ${file}: ${(error as Error).message}`, { cause: error });
  }
}

function parseBudget(text: string): number {
  const value = Number(text.replace(/^\$/, ''));
  if (!Number.isFinite(value) || value <= 0) {
    throw new UsageError(`--budget must be a positive number of US dollars, got \`${text}\``);
  }
  return value;
}

function printSubmitted(ctx: CliContext, item: WorkItemView): void {
  const c = ctx.out.color;
  ctx.out.line(`${c.bold(item.id)}  ${item.title}`);
  ctx.out.line(
    `  ${item.type}, ${item.priority}, team ${item.team}, project ${item.project}, owner ${item.owner}`,
  );
  if (item.workflow) {
    ctx.out.line(`  workflow ${item.workflow.name} v${item.workflow.version}, ${item.mode} mode`);
    ctx.out.line(`  passes: ${item.passes.map((p) => p.id).join(' → ')}`);
  }
  ctx.out.line(c.dim(`  next: keel show ${item.id}`));
}
