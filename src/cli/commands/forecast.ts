/** `keel forecast`: expected cost and duration of a work item, from finished items in the ledger. */
import type { Command } from 'commander';
import {
  type FinishedItem,
  forecastApprovalId,
  forecastApprovalRequest,
  forecastItem,
  readFinishedItems,
  SIZES,
  type Size,
  sizeOf,
} from '../../budgets/index.ts';
import { UsageError } from '../../core/index.ts';
import { formatUsd } from '../../cost/index.ts';
import { type Definitions, loadDefinitions, selectWorkflow } from '../../definitions/index.ts';
import type { LedgerStore } from '../../ledger/index.ts';
import type { WorkItemView } from '../../workitems/index.ts';
import type { CliContext, CommandModule } from '../context.ts';
import { openProjectLedger } from '../project.ts';

interface ForecastFlags {
  type: string;
  labels?: string;
  size?: string;
  workflow?: string;
  json?: boolean;
}

export const forecastCommand: CommandModule = {
  register(program: Command, context: () => CliContext) {
    program
      .command('forecast')
      .description('expected cost and duration of a work item, from similar finished items')
      .requiredOption('--type <type>', 'work item type: feature, bug, incident, …')
      .option('--labels <labels>', 'comma-separated labels the item will carry')
      .option(
        '--size <S|M|L>',
        'the item’s size (finished items carry it as a size-s|size-m|size-l label)',
      )
      .option('--workflow <name>', 'workflow (default: the one keel submit would select)')
      .option('--json', 'print the forecast as JSON')
      .action((flags: ForecastFlags) => run(context(), flags));
  },
};

/** The forecast shown by `keel forecast` and `keel submit`, in µ$ and hours. */
export interface ItemForecast {
  type: string;
  workflow: string;
  status: 'forecast' | 'no-history';
  basis: string;
  n: number;
  costMicros: { p50: number; p90: number } | null;
  durationHours: { p50: number; p90: number } | null;
  similar: string[];
}

/** Forecasts from already-read history; the workflow is chosen as keel submit would. */
export function forecastFor(
  history: readonly FinishedItem[],
  definitions: Pick<Definitions, 'workflows'> | undefined,
  q: { type: string; labels: string[]; size?: Size; workflow?: string },
): ItemForecast {
  let workflow = q.workflow ?? '';
  if (!q.workflow && definitions) {
    workflow = selectWorkflow(definitions, { type: q.type, labels: q.labels }).workflow?.name ?? '';
  }
  const f = forecastItem(history, {
    type: q.type,
    workflow,
    labels: q.labels,
    ...(q.size ? { size: q.size } : {}),
  });
  if (f.status === 'no-history')
    return {
      type: q.type,
      workflow,
      status: f.status,
      basis: f.reason,
      n: 0,
      costMicros: null,
      durationHours: null,
      similar: [],
    };
  const narrowed = f.narrowedBy.length > 0 ? ` (${f.narrowedBy.join(', ')})` : '';
  return {
    type: q.type,
    workflow,
    status: 'forecast',
    basis: `${f.basis}${narrowed}`,
    n: f.n,
    costMicros: { p50: f.costMicros.p50, p90: f.costMicros.p90 },
    durationHours: { p50: f.durationHours.p50, p90: f.durationHours.p90 },
    similar: f.similar,
  };
}

/** One line for people. */
export function describeForecast(f: ItemForecast): string {
  if (f.status === 'no-history' || !f.costMicros || !f.durationHours)
    return `no forecast: ${f.basis}`;
  const h = (x: number) => (x < 48 ? `${x.toFixed(1)} h` : `${(x / 24).toFixed(1)} d`);
  return `cost ${formatUsd(f.costMicros.p50)} (p90 ${formatUsd(f.costMicros.p90)}), duration ${h(f.durationHours.p50)} (p90 ${h(f.durationHours.p90)}), from ${f.basis}`;
}

function parseSize(text: string | undefined): Size | undefined {
  if (text === undefined) return undefined;
  const s = text.toUpperCase();
  if (!(SIZES as readonly string[]).includes(s))
    throw new UsageError(`--size: \`${text}\` is not a size`, { hint: 'use S, M or L' });
  return s as Size;
}

async function run(ctx: CliContext, flags: ForecastFlags): Promise<void> {
  const size = parseSize(flags.size);
  const labels = (flags.labels ?? '')
    .split(',')
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  const { root, ledger } = await openProjectLedger(ctx.cwd, ctx.env);
  const { definitions } = await loadDefinitions(root);
  if (
    flags.workflow &&
    definitions &&
    !definitions.workflows.some((w) => w.name === flags.workflow)
  )
    throw new UsageError(`--workflow: no workflow \`${flags.workflow}\``, {
      hint: `workflows: ${definitions.workflows.map((w) => w.name).join(', ')}`,
    });
  const history = ledger ? await readFinishedItems(ledger).finally(() => ledger.close()) : [];
  const f = forecastFor(history, definitions, {
    type: flags.type,
    labels,
    ...(size ? { size } : {}),
    ...(flags.workflow ? { workflow: flags.workflow } : {}),
  });
  if (flags.json) return ctx.out.json(f);
  ctx.out.line(
    `${flags.type}${f.workflow ? ` (workflow ${f.workflow})` : ''}: ${describeForecast(f)}`,
  );
  if (f.similar.length > 0) ctx.out.line(ctx.out.color.dim(`  similar: ${f.similar.join(', ')}`));
}

/**
 * What `keel submit` adds after recording an item: its forecast, and the
 * approval request keel.yaml's forecast policy asks for (appended here).
 */
export async function forecastSubmitted(
  ledger: LedgerStore,
  definitions: Definitions,
  item: Pick<WorkItemView, 'id' | 'type' | 'labels' | 'org' | 'team' | 'project'> & {
    workflow: { name: string } | null;
  },
): Promise<{ forecast: ItemForecast; approvalId: string | undefined }> {
  const history = (await readFinishedItems(ledger)).filter((h) => h.id !== item.id);
  const size = sizeOf(item.labels);
  const forecast = forecastFor(history, definitions, {
    type: item.type,
    labels: item.labels,
    ...(size ? { size } : {}),
    ...(item.workflow ? { workflow: item.workflow.name } : {}),
  });
  const request = forecastApprovalRequest(definitions.config, item, forecast.costMicros?.p90);
  if (request) await ledger.append(request);
  return { forecast, approvalId: request ? forecastApprovalId(item.id) : undefined };
}
