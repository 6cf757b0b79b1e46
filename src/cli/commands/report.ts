/**
 * `keel report`: what ships, from any git repository with no set-up — AI share,
 * line survival, rework, change failure, batch size and lead time of the main
 * line — and, in a keel project with a ledger, flow and economics from the
 * ledger, as tables, JSON, Markdown or a self-contained HTML page.
 */
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InvalidInputError, UsageError } from '../../core/index.ts';
import { loadDefinitions } from '../../definitions/index.ts';
import { openLedger } from '../../ledger/index.ts';
import {
  type Analysis,
  analyzeRepository,
  buildReport,
  computeLedgerFigures,
  gitJoinInput,
  LANDED_DEFINITION,
  type LedgerFigures,
  ledgerTables,
  loadPatternsFile,
  parseTimeBound,
  readLedgerEvents,
  renderHtml,
  renderMarkdown,
  reportTables,
  withoutPreamble,
} from '../../metrics/index.ts';
import type { CliContext, CommandModule } from '../context.ts';
import { ledgerConfigFor } from '../project.ts';

interface ReportOptions {
  repo?: string;
  since: string;
  until?: string;
  branch?: string;
  json?: boolean;
  md?: boolean;
  html?: string;
  patterns?: string;
  cache: boolean;
  progress?: boolean;
}

async function run(ctx: CliContext, opts: ReportOptions): Promise<void> {
  const formats = [opts.json && '--json', opts.md && '--md', opts.html !== undefined && '--html'];
  const chosen = formats.filter(Boolean);
  if (chosen.length > 1)
    throw new UsageError(`choose one output format, not ${chosen.join(' and ')}`, {
      hint: 'tables are the default; add one of --json, --md or --html FILE',
    });
  const now = Math.floor(Date.now() / 1000);
  const since = parseTimeBound(opts.since, now);
  if (since === undefined)
    throw new UsageError(`--since ${JSON.stringify(opts.since)} is not a date or an age`, {
      hint: 'use an age such as 90d, 12w or 36h, an ISO date such as 2026-01-31, or all',
    });
  const until = opts.until === undefined ? null : parseTimeBound(opts.until, now);
  if (until === undefined || (opts.until !== undefined && until === null))
    throw new UsageError(`--until ${JSON.stringify(opts.until)} is not a date or an age`, {
      hint: 'use an ISO date such as 2026-03-31 or 2026-03-31T12:00:00Z, or an age such as 7d',
    });
  if (since !== null && until !== null && since > until)
    throw new UsageError('--since is after --until', { hint: 'swap the two dates' });
  const patterns = opts.patterns ? loadPatternsFile(resolve(ctx.cwd, opts.patterns)) : undefined;
  const showProgress = opts.progress === true || (process.stderr.isTTY === true && !ctx.env.CI);
  const started = Date.now();
  const analysis = await analyzeRepository({
    repo: resolve(ctx.cwd, opts.repo ?? '.'),
    branch: opts.branch,
    until: until ?? undefined,
    patterns,
    cache: opts.cache,
    env: ctx.env,
    onProgress: showProgress
      ? (done, total) => {
          const seconds = Math.max(0.001, (Date.now() - started) / 1000);
          const rate = Math.round(done / seconds).toLocaleString('en-US');
          ctx.out.err(
            `report: ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} commits (${rate}/s)`,
          );
        }
      : undefined,
  });
  const ledger = await ledgerFiguresFor(ctx, analysis, { since, now: until ?? now });
  const report = buildReport(analysis, { since, until }, ledger);
  if (opts.json) return ctx.out.json(report);
  if (opts.md) return ctx.out.line(renderMarkdown(report).trimEnd());
  if (opts.html !== undefined) {
    const file = resolve(ctx.cwd, opts.html);
    const tmp = `${file}.${process.pid}.tmp`;
    try {
      writeFileSync(tmp, renderHtml(report));
      renameSync(tmp, file);
    } catch (error) {
      throw new InvalidInputError(`cannot write ${file}: ${(error as Error).message}`, {
        hint: 'pass --html a path in an existing, writable directory',
      });
    }
    return ctx.out.line(`report written to ${file}`);
  }
  const c = ctx.out.color;
  ctx.out.line(
    `${c.bold(`keel report — ${report.branch}`)} ${c.dim(`head ${report.head.sha.slice(0, 12)}, ${report.period.since ?? 'first commit'} → ${report.period.until ?? 'head'}`)}`,
  );
  ctx.out.line(
    `${report.figures.changes.total} changes landed, ${report.figures.changes.ai} AI-assisted ${c.dim(`(${analysis.stats.commitsProcessed} commits read, ${analysis.stats.changesFromCache} from cache)`)}`,
  );
  ctx.out.line(c.dim(LANDED_DEFINITION));
  for (const table of reportTables(report)) {
    ctx.out.line();
    ctx.out.line(c.bold(table.title));
    if (table.rows.length === 0) ctx.out.line(c.dim('none in this period'));
    else ctx.out.table(table.headers, table.rows);
    // The shared preamble is printed once above; each note keeps what is specific to it.
    for (const note of table.notes) ctx.out.line(c.dim(`· ${withoutPreamble(note)}`));
  }
  ctx.out.line();
  if (!report.ledger) {
    ctx.out.line(`${c.bold('From the ledger')} ${c.dim('no ledger data')}`);
    return;
  }
  const src = report.ledger.source;
  ctx.out.line(
    `${c.bold('From the ledger')} ${c.dim(`${src.ledger}: ${src.events} events, ${src.items} work items, now ${src.now}`)}`,
  );
  for (const table of ledgerTables(report.ledger)) {
    ctx.out.line();
    ctx.out.line(c.bold(table.title));
    if (table.rows.length === 0) ctx.out.line(c.dim('none in this period'));
    else ctx.out.table(table.headers, table.rows);
    for (const note of table.notes) ctx.out.line(c.dim(`· ${note}`));
  }
}

/** The ledger figures of the repository's keel project, or null when it has no ledger. */
export async function ledgerFiguresFor(
  ctx: CliContext,
  analysis: Analysis,
  period: { since: number | null; now: number },
): Promise<LedgerFigures | null> {
  const root = analysis.repoRoot;
  if (!existsSync(join(root, '.keel'))) return null;
  const { definitions, diagnostics } = await loadDefinitions(root);
  if (!definitions) {
    const errors = diagnostics.filter((d) => d.severity === 'error').length;
    // Targets and roles need the definitions; the ledger is still worth reading.
    ctx.out.err(
      `report: .keel/ has ${errors} definition error(s) (see \`keel validate\`); no targets or roles`,
    );
  }
  const config = ledgerConfigFor(root, definitions?.config.store, ctx.env);
  if (config.kind === 'sqlite' && !existsSync(config.path)) return null;
  const ledger = await openLedger(config, { env: ctx.env, create: false });
  try {
    const events = await readLedgerEvents(ledger);
    return computeLedgerFigures({
      events,
      location: ledger.location,
      now: period.now,
      since: period.since,
      git: gitJoinInput(analysis),
      agentCategories: new Map((definitions?.agents ?? []).map((a) => [a.name, a.category])),
      targets: definitions?.config.targets ?? null,
    });
  } finally {
    await ledger.close();
  }
}

export const reportCommand: CommandModule = {
  register(program, context) {
    program
      .command('report')
      .description(
        'measure what ships: AI share, survival, rework, failures, batch size; flow and cost from the ledger',
      )
      .option('--repo <path>', 'repository to analyse (default: the current directory)')
      .option('--since <when>', 'start of the period: age (90d, 12w, 36h), ISO date, or all', '90d')
      .option('--until <when>', 'end of the period and of the analysed history: ISO date or age')
      .option('--branch <name>', 'main-line branch (default: main, else master, else HEAD)')
      .option('--json', 'print the report as JSON (schema keel.report/1)')
      .option('--md', 'print the report as Markdown')
      .option('--html <file>', 'write a self-contained HTML page with charts')
      .option('--patterns <file>', 'JSON or YAML file of extra attribution patterns')
      .option('--no-cache', 'ignore and do not write the report cache')
      .option('--progress', 'print progress to stderr even when it is not a terminal')
      .action(async (opts: ReportOptions) => run(context(), opts));
  },
};
