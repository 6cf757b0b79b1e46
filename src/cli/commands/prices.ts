/** `keel prices list` and `keel prices import`: the effective price catalog and LiteLLM imports. */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { InvalidInputError, NotInitializedError, UsageError } from '../../core/index.ts';
import {
  ALWAYS,
  type CatalogRow,
  catalogRows,
  importPriceFile,
  loadCatalog,
  type PriceRates,
} from '../../cost/index.ts';
import { findDefinitionsRoot } from '../../definitions/index.ts';
import type { CliContext, CommandModule } from '../context.ts';
import { commandGroup } from '../groups.ts';

interface ListFlags {
  provider?: string;
  tier?: string;
  at?: string;
  json?: boolean;
}

interface ImportFlags {
  json?: boolean;
  dryRun?: boolean;
}

/** Registers `keel prices list` and `keel prices import`. */
export const pricesCommand: CommandModule = {
  register(program: Command, context: () => CliContext) {
    const group = commandGroup(
      program,
      'prices',
      'the model price catalog used to cost every call',
    );
    group
      .command('list')
      .description(
        'show the effective catalog: built-in, .keel/prices/*.yaml, then keel.yaml models:',
      )
      .option('--provider <name>', 'only this provider (anthropic, openai, google, …)')
      .option('--tier <tier>', 'only this tier')
      .option('--at <date>', 'show the prices in force on this UTC date (YYYY-MM-DD)')
      .option('--json', 'print { at, models: [...] } as JSON')
      .action((flags: ListFlags) => runList(context(), flags));
    group
      .command('import')
      .description('import a LiteLLM price map into .keel/prices/imported.yaml, effective today')
      .argument('<file>', 'a LiteLLM model_prices_and_context_window.json')
      .option('--dry-run', 'check and report, write nothing')
      .option('--json', 'print { file, effective, written, imported, skipped, errors } as JSON')
      .action((file: string, flags: ImportFlags) => runImport(context(), file, flags));
  },
};

async function repoRoot(ctx: CliContext): Promise<string | undefined> {
  return findDefinitionsRoot(ctx.cwd);
}

function parseAt(at: string | undefined): Date {
  if (at === undefined) return new Date();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(at) || Number.isNaN(Date.parse(`${at}T00:00:00Z`)))
    throw new UsageError(`--at ${JSON.stringify(at)} is not a date YYYY-MM-DD`, {
      hint: 'for example --at 2025-06-01',
    });
  return new Date(`${at}T12:00:00Z`);
}

function money(usdPerMillion: number | undefined): string {
  if (usdPerMillion === undefined) return '—';
  return `$${Number(usdPerMillion.toFixed(6))}`;
}

function contextSize(tokens: number): string {
  if (tokens === 0) return '—';
  return tokens >= 1_000_000
    ? `${Number((tokens / 1_048_576).toFixed(1))}M`
    : `${Math.round(tokens / 1000)}K`;
}

function ratesCells(r: PriceRates | undefined): string[] {
  return [
    money(r?.input),
    money(r?.output),
    money(r?.cacheRead),
    money(r?.cacheWrite),
    money(r?.cacheWrite1h),
  ];
}

async function runList(ctx: CliContext, flags: ListFlags): Promise<void> {
  const at = parseAt(flags.at);
  const root = (await repoRoot(ctx)) ?? ctx.cwd;
  const rows = catalogRows(loadCatalog(root), at, {
    ...(flags.provider ? { provider: flags.provider } : {}),
    ...(flags.tier ? { tier: flags.tier } : {}),
  });
  if (flags.json) {
    ctx.out.json({ at: at.toISOString().slice(0, 10), models: rows });
    return;
  }
  if (rows.length === 0) {
    ctx.out.line(
      `No model in the catalog${flags.provider ? ` for provider ${flags.provider}` : ''}.`,
    );
    return;
  }
  const c = ctx.out.color;
  ctx.out.table(
    [
      'PROVIDER',
      'MODEL',
      'TIER',
      'CONTEXT',
      'INPUT',
      'OUTPUT',
      'CACHE READ',
      'WRITE 5M',
      'WRITE 1H',
      'SINCE',
      'FROM',
    ],
    rows.map((r: CatalogRow) => [
      r.provider,
      r.id,
      r.tier,
      contextSize(r.contextWindow),
      ...ratesCells(r.price?.rates),
      r.price
        ? r.price.effective === ALWAYS
          ? 'always'
          : r.price.effective
        : c.yellow('unpriced'),
      r.origin,
    ]),
  );
  ctx.out.line(
    c.dim('USD per million tokens; long-context rates and price history are in --json.'),
  );
}

async function runImport(ctx: CliContext, file: string, flags: ImportFlags): Promise<void> {
  const root = await repoRoot(ctx);
  if (!root)
    throw new NotInitializedError(`no .keel/keel.yaml in ${ctx.cwd} or above`, {
      hint: 'run `keel init` first; imported prices are kept under .keel/prices/',
    });
  const result = importPriceFile(root, resolve(ctx.cwd, file), file, new Date(), {
    dryRun: flags.dryRun === true,
  });
  if (flags.json) {
    ctx.out.json(result);
    if (result.errors.length > 0) ctx.setExitCode(1);
    return;
  }
  if (result.errors.length > 0) {
    const shown = result.errors.slice(0, 20).map((e) => `  ${e.key}: ${e.message}`);
    const more = result.errors.length > 20 ? `\n  … and ${result.errors.length - 20} more` : '';
    throw new InvalidInputError(
      `${result.errors.length} invalid entr${result.errors.length === 1 ? 'y' : 'ies'} in ${file}; nothing was written:\n${shown.join('\n')}${more}`,
      { hint: 'fix the entries named above (or remove them), then import again' },
    );
  }
  const c = ctx.out.color;
  const n = result.imported.length;
  const unassigned = result.imported.filter((m) => m.tier !== undefined).length;
  ctx.out.line(
    `${flags.dryRun ? 'Would import' : 'Imported'} ${n} model price${n === 1 ? '' : 's'} effective ${result.effective}${result.written ? ` into ${c.cyan('.keel/prices/imported.yaml')}` : ''}.`,
  );
  if (result.skipped.length > 0)
    ctx.out.line(
      `Skipped ${result.skipped.length} entr${result.skipped.length === 1 ? 'y' : 'ies'} (not text models, or no per-token price).`,
    );
  if (unassigned > 0)
    ctx.out.line(
      `${unassigned} model${unassigned === 1 ? ' is' : 's are'} new to keel, with tier ${c.yellow('unassigned')}: priced, but not routed to until keel.yaml gives a tier.`,
    );
}
