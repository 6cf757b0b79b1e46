/** `keel cost`: what model calls cost, from the ledger, grouped by any attribution dimension. */
import type { Command } from 'commander';
import { readCallFacts } from '../../budgets/index.ts';
import { totalTokens, UsageError } from '../../core/index.ts';
import {
  formatUsd,
  microsToUsd,
  ROLLUP_DIMENSIONS,
  type RollupDimension,
  rollup,
} from '../../cost/index.ts';
import { loadDefinitions } from '../../definitions/index.ts';
import { normalizeWorkItemId } from '../../workitems/index.ts';
import type { CliContext, CommandModule } from '../context.ts';
import { openProjectLedger } from '../project.ts';

interface CostFlags {
  by?: string;
  since?: string;
  item?: string;
  json?: boolean;
  csv?: boolean;
}

export const costCommand: CommandModule = {
  register(program: Command, context: () => CliContext) {
    program
      .command('cost')
      .description('what model calls cost, from the ledger, grouped by item, pass, agent, model…')
      .option(
        '--by <dims>',
        `group by one or more of ${ROLLUP_DIMENSIONS.join(', ')} (comma-separated)`,
        'item',
      )
      .option(
        '--since <when>',
        'only calls from this UTC date (YYYY-MM-DD) or this long ago (7d, 12h)',
      )
      .option('--item <id>', 'only the calls of this work item')
      .option('--json', 'print { by, groups, totalUsd, totalMicros, calls, unpriced } as JSON')
      .option('--csv', 'print the groups as CSV')
      .action((flags: CostFlags) => run(context(), flags));
  },
};

/** Parses `--by`: known dimensions, each once. */
export function parseDimensions(text: string): RollupDimension[] {
  const dims = text
    .split(',')
    .map((d) => d.trim())
    .filter((d) => d.length > 0);
  if (dims.length === 0) throw new UsageError('--by needs at least one dimension');
  for (const d of dims)
    if (!(ROLLUP_DIMENSIONS as readonly string[]).includes(d))
      throw new UsageError(`--by: unknown dimension \`${d}\``, {
        hint: `use one or more of ${ROLLUP_DIMENSIONS.join(', ')}`,
      });
  return [...new Set(dims)] as RollupDimension[];
}

/** Parses `--since`: a UTC date, or a duration back from `now` in days or hours. */
export function parseSince(text: string, now: Date): Date {
  const ago = /^(\d+)([dh])$/.exec(text);
  if (ago)
    return new Date(now.getTime() - Number(ago[1]) * (ago[2] === 'd' ? 86_400_000 : 3_600_000));
  if (/^\d{4}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(Date.parse(`${text}T00:00:00Z`)))
    return new Date(`${text}T00:00:00Z`);
  throw new UsageError(`--since: \`${text}\` is neither a date nor a duration`, {
    hint: 'use a UTC date like 2026-11-01, or 7d / 12h',
  });
}

function csvCell(v: string): string {
  return /[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
}

async function run(ctx: CliContext, flags: CostFlags): Promise<void> {
  if (flags.json && flags.csv) throw new UsageError('choose one of --json and --csv');
  const by = parseDimensions(flags.by ?? 'item');
  const since = flags.since ? parseSince(flags.since, new Date()) : undefined;
  const item = flags.item ? normalizeWorkItemId(flags.item) : undefined;
  if (flags.item && !item)
    throw new UsageError(`--item: \`${flags.item}\` is not a work item id`, { hint: 'e.g. WI-3' });
  const { root, ledger } = await openProjectLedger(ctx.cwd, ctx.env);
  const { definitions } = await loadDefinitions(root);
  const categories = new Map((definitions?.agents ?? []).map((a) => [a.name, a.category]));
  const facts = ledger
    ? await readCallFacts(ledger, {
        ...(since ? { since } : {}),
        ...(item ? { workItemId: item } : {}),
        categories,
      }).finally(() => ledger.close())
    : { records: [], unpriced: [] };
  const r = rollup(facts.records, by);
  if (flags.json) {
    ctx.out.json({ ...r, unpriced: facts.unpriced });
    return;
  }
  if (flags.csv) {
    ctx.out.line([...by, 'calls', 'tokens', 'cost_usd'].join(','));
    for (const g of r.groups)
      ctx.out.line(
        [
          ...by.map((d) => csvCell(g.key[d] ?? '')),
          String(g.calls),
          String(totalTokens(g.usage)),
          microsToUsd(g.costMicros).toFixed(6),
        ].join(','),
      );
    return;
  }
  if (r.groups.length === 0 && facts.unpriced.length === 0) {
    ctx.out.line(
      'no model calls recorded' +
        (item ? ` for ${item}` : '') +
        (since ? ` since ${since.toISOString().slice(0, 10)}` : ''),
    );
    return;
  }
  ctx.out.table(
    [...by.map((d) => d.toUpperCase()), 'CALLS', 'TOKENS', 'COST'],
    [
      ...r.groups.map((g) => [
        ...by.map((d) => g.key[d] || '—'),
        String(g.calls),
        String(totalTokens(g.usage)),
        formatUsd(g.costMicros),
      ]),
      [
        ...by.map((_, i) => (i === 0 ? ctx.out.color.bold('TOTAL') : '')),
        String(r.calls),
        String(r.groups.reduce((s, g) => s + totalTokens(g.usage), 0)),
        ctx.out.color.bold(formatUsd(r.totalMicros)),
      ],
    ],
  );
  if (facts.unpriced.length > 0)
    ctx.out.line(
      ctx.out.color.yellow(
        `${facts.unpriced.length} unpriced call(s) not counted: ${[...new Set(facts.unpriced.map((u) => `${u.provider}/${u.model}`))].join(', ')} — add a price in keel.yaml models: or keel prices import`,
      ),
    );
}
