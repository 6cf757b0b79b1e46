/** `keel budget set|list|show`: budgets in the ledger, their spend, state, notices and waits. */
import type { Command } from 'commander';
import {
  type BudgetDefinition,
  BudgetService,
  budgetStatuses,
  budgetsFromConfig,
} from '../../budgets/index.ts';
import { InvalidInputError, NotFoundError, UsageError } from '../../core/index.ts';
import { BUDGET_PERIODS, BUDGET_SCOPES, formatUsd, usdToMicros } from '../../cost/index.ts';
import type { CliContext, CommandModule } from '../context.ts';
import { commandGroup } from '../groups.ts';
import { openProject } from '../project.ts';

interface SetFlags {
  scope?: string;
  target?: string;
  period?: string;
  limit?: string;
  approachingAt?: string;
  hardCap?: boolean;
  softCap?: boolean;
  owner?: string;
  approvalAbove?: string;
  json?: boolean;
}

export const budgetCommand: CommandModule = {
  register(program: Command, context: () => CliContext) {
    const group = commandGroup(program, 'budget', 'budgets enforced before every dispatch');
    group
      .command('set')
      .description('define or change a budget (recorded as budget.set; overrides keel.yaml by id)')
      .argument('<id>', 'budget id, e.g. team-monthly')
      .option('--scope <scope>', BUDGET_SCOPES.join(', '))
      .option(
        '--target <name>',
        'org/team/project name, item id or engineer; omit for each item/engineer',
      )
      .option('--period <period>', BUDGET_PERIODS.join(', '))
      .option('--limit <usd>', 'limit in USD, greater than 0')
      .option(
        '--approaching-at <fraction>',
        'share of the limit that counts as approaching (default 0.8)',
      )
      .option('--hard-cap', 'refuse any dispatch that could pass the limit')
      .option('--soft-cap', 'grade dispatches at the limit instead of refusing (the default)')
      .option('--owner <role>', 'who is notified and escalated to')
      .option(
        '--approval-above <usd>',
        'at the limit, dispatches estimated above this wait for approval',
      )
      .option('--json', 'print the budget as JSON')
      .action((id: string, flags: SetFlags) => runSet(context(), id, flags));
    group
      .command('list')
      .description('every budget with its spend this period and its state')
      .option(
        '--json',
        'print [{ id, scope, limitMicros, settledMicros, reservedMicros, state, … }]',
      )
      .action((flags: { json?: boolean }) => runList(context(), flags));
    group
      .command('show')
      .description('one budget: spend, open reservations, notices sent, dispatches waiting on it')
      .argument('<id>', 'budget id (or id/item for a budget per item)')
      .option('--json', 'print the budget as JSON')
      .action((id: string, flags: { json?: boolean }) => runShow(context(), id, flags));
  },
};

function usdFlag(name: string, text: string, min: number): number {
  const v = Number(text);
  if (!Number.isFinite(v) || v < min || (min === 0 && v <= 0 && name === '--limit'))
    throw new UsageError(
      `${name}: \`${text}\` is not an amount in USD${name === '--limit' ? ' greater than 0' : ''}`,
    );
  return v;
}

/** Builds the definition `keel budget set` records, from flags over the current definition. */
export function definitionFromFlags(
  id: string,
  flags: SetFlags,
  current: BudgetDefinition | undefined,
): BudgetDefinition {
  if (!/^[a-z0-9][a-z0-9._-]*$/.test(id))
    throw new UsageError(`budget id \`${id}\` must be lowercase letters, digits, ., - or _`);
  const scope = flags.scope ?? current?.scope;
  if (!scope)
    throw new UsageError('--scope is required for a new budget', {
      hint: BUDGET_SCOPES.join(', '),
    });
  if (!(BUDGET_SCOPES as readonly string[]).includes(scope))
    throw new UsageError(`--scope: unknown scope \`${scope}\``, {
      hint: `use one of ${BUDGET_SCOPES.join(', ')}`,
    });
  const period = flags.period ?? current?.period;
  if (!period)
    throw new UsageError('--period is required for a new budget', {
      hint: BUDGET_PERIODS.join(', '),
    });
  if (!(BUDGET_PERIODS as readonly string[]).includes(period))
    throw new UsageError(`--period: unknown period \`${period}\``, {
      hint: `use one of ${BUDGET_PERIODS.join(', ')}`,
    });
  if (flags.limit === undefined && !current)
    throw new UsageError('--limit is required for a new budget');
  const limitMicros =
    flags.limit !== undefined
      ? usdToMicros(usdFlag('--limit', flags.limit, 0))
      : (current?.limitMicros ?? 0);
  if (limitMicros <= 0) throw new UsageError('--limit must be greater than 0');
  let approachingAt = current?.approachingAt ?? 0.8;
  if (flags.approachingAt !== undefined) {
    approachingAt = Number(flags.approachingAt);
    if (!(approachingAt > 0 && approachingAt <= 1))
      throw new UsageError(`--approaching-at: \`${flags.approachingAt}\` must be in (0, 1]`);
  }
  if (flags.hardCap && flags.softCap)
    throw new UsageError('choose one of --hard-cap and --soft-cap');
  const owner = flags.owner ?? current?.owner;
  if (!owner) throw new UsageError('--owner is required for a new budget (a role or handle)');
  return {
    id,
    scope: scope as BudgetDefinition['scope'],
    target: flags.target ?? current?.target,
    period: period as BudgetDefinition['period'],
    limitMicros,
    approachingAt,
    hardCap: flags.hardCap ? true : flags.softCap ? false : (current?.hardCap ?? false),
    owner,
    approvalAboveMicros:
      flags.approvalAbove !== undefined
        ? usdToMicros(usdFlag('--approval-above', flags.approvalAbove, 0))
        : (current?.approvalAboveMicros ?? 0),
  };
}

async function service(ctx: CliContext) {
  const project = await openProject(ctx.cwd, ctx.env);
  const svc = new BudgetService(project.ledger, {
    configBudgets: budgetsFromConfig(project.definitions.config),
    actor: ctx.env.USER ?? 'keel',
  });
  return { project, svc };
}

async function runSet(ctx: CliContext, id: string, flags: SetFlags): Promise<void> {
  const { project, svc } = await service(ctx);
  try {
    const { definitions } = await svc.snapshot();
    const current = definitions.find((d) => d.id === id);
    const cfg = project.definitions.config;
    // Like keel.yaml: an org, team or project budget defaults to this project's own.
    const own: Record<string, string> = { org: cfg.org, team: cfg.team, project: cfg.project };
    const scope = flags.scope ?? current?.scope;
    const target = flags.target ?? (current ? current.target : scope ? own[scope] : undefined);
    const def = definitionFromFlags(id, { ...flags, ...(target ? { target } : {}) }, current);
    if (def.scope === 'work_item' && def.target !== undefined && !/^WI-\d+$/.test(def.target))
      throw new InvalidInputError(`--target: \`${def.target}\` is not a work item id`, {
        hint: 'e.g. WI-3, or omit for each item',
      });
    await svc.set(def);
    if (flags.json) ctx.out.json(def);
    else
      ctx.out.line(
        `budget ${def.id} ${current ? 'changed' : 'set'}: ${def.scope}${def.target ? ` ${def.target}` : ' (each)'}, ${def.period}, ${formatUsd(def.limitMicros)}${def.hardCap ? ', hard cap' : ''}, owner ${def.owner}`,
      );
  } finally {
    await project.ledger.close();
  }
}

async function runList(ctx: CliContext, flags: { json?: boolean }): Promise<void> {
  const { project, svc } = await service(ctx);
  try {
    const { book, definitions } = await svc.snapshot();
    const rows = budgetStatuses(definitions, book, new Date());
    if (flags.json) return ctx.out.json(rows);
    if (rows.length === 0)
      return ctx.out.line('no budgets: add budgets: to keel.yaml or run keel budget set');
    const c = ctx.out.color;
    const paint = (s: string) =>
      s === 'ok' ? c.green(s) : s === 'approaching' ? c.yellow(s) : c.red(s);
    ctx.out.table(
      [
        'BUDGET',
        'SCOPE',
        'PERIOD',
        'LIMIT',
        'SETTLED',
        'RESERVED',
        'USED',
        'STATE',
        'OWNER',
        'FROM',
      ],
      rows.map((r) => [
        r.id,
        `${r.scope}${r.scopeId ? ` ${r.scopeId}` : ''}`,
        r.period,
        `${formatUsd(r.limitMicros)}${r.hardCap ? ' (hard)' : ''}`,
        formatUsd(r.settledMicros),
        formatUsd(r.reservedMicros),
        `${Math.round(((r.settledMicros + r.reservedMicros) / r.limitMicros) * 100)}%`,
        paint(r.state),
        r.owner,
        r.source,
      ]),
    );
  } finally {
    await project.ledger.close();
  }
}

async function runShow(ctx: CliContext, id: string, flags: { json?: boolean }): Promise<void> {
  const { project, svc } = await service(ctx);
  try {
    const { book, definitions } = await svc.snapshot();
    const status = budgetStatuses(definitions, book, new Date()).find((s) => s.id === id);
    if (!status)
      throw new NotFoundError(`no budget \`${id}\``, {
        hint: '`keel budget list` shows every budget',
      });
    const reservations = [...book.reservations.values()].filter((r) => r.budgetIds.includes(id));
    const notices = (
      await project.ledger.read({ types: ['budget.approaching', 'budget.escalated'] })
    )
      .filter((e) => e.data.budgetId === id)
      .map((e) => ({ type: e.type, at: e.at, owner: e.data.owner, reason: e.data.reason }));
    const waits = (await project.ledger.read({ types: ['wait.started'] }))
      .filter(
        (e) =>
          e.data.reason === 'budget' &&
          Array.isArray(e.data.budgets) &&
          e.data.budgets.includes(id),
      )
      .filter((e) => book.waiting.has(String(e.data.waitId)))
      .map((e) => ({
        waitId: e.data.waitId,
        workItemId: e.workItemId,
        since: e.at,
        action: e.data.action,
      }));
    if (flags.json) return ctx.out.json({ ...status, reservations, notices, waiting: waits });
    const c = ctx.out.color;
    ctx.out.line(
      `${c.bold(status.id)}  ${status.scope}${status.scopeId ? ` ${status.scopeId}` : ''}, ${status.period}${status.hardCap ? ', hard cap' : ''}, owner ${status.owner} (${status.source})`,
    );
    ctx.out.line(`  limit     ${formatUsd(status.limitMicros)}`);
    ctx.out.line(
      `  settled   ${formatUsd(status.settledMicros)}${status.periodStart ? ` since ${status.periodStart.slice(0, 10)}` : ''}`,
    );
    ctx.out.line(
      `  reserved  ${formatUsd(status.reservedMicros)} in ${reservations.length} open dispatch(es)`,
    );
    ctx.out.line(`  state     ${status.state}`);
    for (const n of notices)
      ctx.out.line(
        `  ${n.type === 'budget.escalated' ? c.red('escalated') : c.yellow('approaching')} ${n.at} to ${String(n.owner)}: ${String(n.reason)}`,
      );
    for (const w of waits)
      ctx.out.line(`  waiting   ${String(w.workItemId)} since ${w.since} (${String(w.action)})`);
  } finally {
    await project.ledger.close();
  }
}
