/** `keel route explain`: which model the learned router would choose for a pass, and why. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { readPassOutcomes } from '../../budgets/index.ts';
import { InvalidInputError, UsageError } from '../../core/index.ts';
import {
  chooseLearned,
  eligibleModels,
  findModel,
  learnStats,
  loadCatalog,
  type ModelEntry,
  parsePassHistory,
  routerCandidates,
} from '../../cost/index.ts';
import { findDefinitionsRoot, loadDefinitions } from '../../definitions/index.ts';
import { normalizeWorkItemId } from '../../workitems/index.ts';
import type { CliContext, CommandModule } from '../context.ts';
import { commandGroup } from '../groups.ts';
import { openProjectLedger } from '../project.ts';

interface ExplainFlags {
  category?: string;
  agent?: string;
  item?: string;
  tier?: string;
  models?: string;
  history?: string;
  inputTokens: string;
  outputTokens: string;
  escalateTo?: string;
  retries: string;
  minAcceptance?: string;
  json?: boolean;
}

/** Registers `keel route explain`. */
export const routeCommand: CommandModule = {
  register(program: Command, context: () => CliContext) {
    commandGroup(program, 'route', 'model routing: tiers and the learned router')
      .command('explain')
      .description('show the learned router’s figures for each candidate model and its choice')
      .option('--category <key>', 'the router key: an agent category (e.g. implementer)')
      .option('--agent <name>', 'the router key is this agent’s category; candidates its tier')
      .option('--item <id>', 'refine the key by this work item’s type (category/type)')
      .option('--tier <tier>', 'candidates: the models of this tier (default: every priced model)')
      .option('--models <list>', 'candidates: comma-separated provider/model keys')
      .option(
        '--history <file>',
        'pass outcomes, JSON array or JSON Lines (default: the ledger’s finished attempts)',
      )
      .option('--input-tokens <n>', 'tokens in a typical pass, for the prior cost', '20000')
      .option('--output-tokens <n>', 'tokens out of a typical pass', '2000')
      .option('--escalate-to <model>', 'the gate escalates to this provider/model after --retries')
      .option('--retries <n>', 'reworks on the chosen model before escalating', '2')
      .option('--min-acceptance <share>', 'quality bar, 0–1')
      .option('--json', 'print the explanation as JSON')
      .action((flags: ExplainFlags) => runExplain(context(), flags));
  },
};

function count(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0)
    throw new UsageError(`${flag} ${JSON.stringify(value)} is not a non-negative integer`);
  return n;
}

async function runExplain(ctx: CliContext, flags: ExplainFlags): Promise<void> {
  if (flags.tier && flags.models)
    throw new UsageError('choose candidates by --tier or by --models, not both');
  const bar = flags.minAcceptance === undefined ? undefined : Number(flags.minAcceptance);
  if (bar !== undefined && !(bar >= 0 && bar <= 1))
    throw new UsageError(`--min-acceptance ${flags.minAcceptance} is not a share between 0 and 1`);
  if (!flags.category && !flags.agent)
    throw new UsageError('give --agent or --category', {
      hint: 'e.g. keel route explain --agent implementer',
    });
  const root = (await findDefinitionsRoot(ctx.cwd)) ?? ctx.cwd;
  const { definitions } = await loadDefinitions(root);
  const agent = flags.agent ? definitions?.agents.find((a) => a.name === flags.agent) : undefined;
  if (flags.agent && !agent)
    throw new UsageError(`--agent: no agent \`${flags.agent}\``, {
      hint: definitions
        ? `agents: ${definitions.agents.map((a) => a.name).join(', ')}`
        : 'run inside a keel project with valid definitions (`keel validate`)',
    });
  const item = flags.item ? normalizeWorkItemId(flags.item) : undefined;
  if (flags.item && !item)
    throw new UsageError(`--item: \`${flags.item}\` is not a work item id`, { hint: 'e.g. WI-3' });
  const categories = new Map((definitions?.agents ?? []).map((a) => [a.name, a.category]));
  const tier =
    flags.tier ??
    (agent && !flags.models ? (agent.tier ?? definitions?.config.routing.defaultTier) : undefined);
  const catalog = loadCatalog(root);
  const at = new Date();
  let models: ModelEntry[];
  if (flags.models) {
    models = flags.models.split(',').map((key) => {
      const [provider, ...rest] = key.trim().split('/');
      const found =
        provider && rest.length > 0 ? findModel(catalog, provider, rest.join('/')) : undefined;
      if (!found)
        throw new UsageError(`--models: ${key.trim()} is not a provider/model in the catalog`, {
          hint: 'run `keel prices list` to see the catalog',
        });
      return found.model;
    });
  } else if (tier) {
    models = eligibleModels({ catalog, tier, at });
  } else {
    models = catalog.models.filter((m) => m.tier !== 'unassigned');
  }
  const typical = {
    inputTokens: count('--input-tokens', flags.inputTokens),
    outputTokens: count('--output-tokens', flags.outputTokens),
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    reasoningTokens: 0,
  };
  const candidates = routerCandidates(catalog, models, typical, at);
  if (candidates.length === 0)
    throw new InvalidInputError(`no priced candidate model${tier ? ` of tier ${tier}` : ''}`, {
      hint: 'check the tier name with `keel prices list`',
    });
  let history: ReturnType<typeof parsePassHistory> = [];
  if (flags.history) {
    let text: string;
    try {
      text = readFileSync(resolve(ctx.cwd, flags.history), 'utf8');
    } catch (error) {
      throw new InvalidInputError(`cannot read ${flags.history}`, { cause: error });
    }
    history = parsePassHistory(text, flags.history);
  }
  let key = flags.category ?? agent?.category ?? '';
  let source = flags.history ?? 'none';
  if (!flags.history || item) {
    const { ledger } = await openProjectLedger(ctx.cwd, ctx.env).catch(() => ({
      ledger: undefined,
    }));
    if (ledger) {
      try {
        if (item) {
          const submitted = await ledger.read({ workItemId: item, types: ['work_item.submitted'] });
          const type = submitted[0]?.data.type;
          if (typeof type !== 'string')
            throw new UsageError(`--item: no work item \`${item}\``, {
              hint: '`keel list` shows them',
            });
          key = `${key}/${type}`;
        }
        if (!flags.history) {
          history = await readPassOutcomes(ledger, categories);
          source = 'ledger';
        }
      } finally {
        await ledger.close();
      }
    } else if (item) throw new UsageError(`--item: no work item \`${item}\`: nothing recorded yet`);
  }
  let escalation: { retries: number; model: string } | undefined;
  if (flags.escalateTo) {
    escalation = { retries: count('--retries', flags.retries), model: flags.escalateTo };
    if (!candidates.some((c) => c.model === flags.escalateTo))
      throw new UsageError(`--escalate-to ${flags.escalateTo} is not among the candidates`, {
        hint: 'include it in --models or --tier',
      });
  }
  // Explain the exploiting choice: exploration is a runtime coin toss, not a reason.
  const explanation = chooseLearned(key, candidates, learnStats(history), {
    rng: () => 1,
    epsilon: 0,
    ...(escalation ? { escalation } : {}),
    ...(bar !== undefined ? { minAcceptance: bar } : {}),
  });
  if (flags.json) {
    ctx.out.json({
      ...explanation,
      key,
      historySource: source,
      historyPasses: history.filter((h) => h.category === key).length,
    });
    return;
  }
  const c = ctx.out.color;
  const money = (m: number) => `$${(m / 1e6).toFixed(4)}`;
  ctx.out.table(
    ['', 'MODEL', 'TIER', 'PASSES', 'ACCEPTED', 'ACCEPTANCE', 'COST/PASS', 'COST/ACCEPTED'],
    explanation.candidates.map((f) => [
      f.model === explanation.chosen ? c.green('→') : '',
      f.model,
      f.tier,
      String(f.passes),
      String(f.accepted),
      `${(f.acceptance * 100).toFixed(1)}%`,
      money(f.costPerPassMicros),
      money(f.expectedCostPerAcceptedMicros),
    ]),
  );
  ctx.out.line();
  ctx.out.line(`${c.bold('choice:')} ${explanation.detail}`);
  ctx.out.line(
    c.dim(
      `key ${key}; history: ${source === 'ledger' ? 'the ledger' : source} (${history.filter((h) => h.category === key).length} passes)`,
    ),
  );
}
