/** Schema of `.keel/keel.yaml`: the project's identity, store, providers, models, budgets, resources. */
import { z } from 'zod';
import { RUNTIMES } from '../../core/index.ts';
import { durationSchema, envNameSchema, nameSchema } from './common.ts';

export const STORE_DRIVERS = ['sqlite', 'postgres'] as const;
export const PROVIDER_KINDS = ['anthropic', 'openai', 'openai-compatible'] as const;
export const BUDGET_SCOPES = ['org', 'team', 'project', 'work_item', 'engineer'] as const;
export const BUDGET_PERIODS = ['total', 'monthly', 'weekly'] as const;
export const RESOURCE_KINDS = [
  'database',
  'schema',
  'table',
  'environment',
  'api',
  'pool',
] as const;

const usd = z.number().nonnegative();

/** Org, team and project names, as `keel init` accepts them (case kept: they are display names too). */
const identitySchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, {
  error: 'must be 1–64 letters, digits, `.`, `-` or `_`, starting with a letter or digit',
});

const storeSchema = z
  .strictObject({
    driver: z.enum(STORE_DRIVERS).optional().describe('sqlite (default) or postgres'),
    path: z.string().min(1).optional().describe('sqlite only: database file, relative to the repo'),
    url_env: envNameSchema.optional().describe('postgres only: env var holding the connection URL'),
  })
  .describe('Where the ledger lives');

const providerSchema = z.strictObject({
  kind: z.enum(PROVIDER_KINDS),
  api_key_env: envNameSchema.optional(),
  base_url: z.url().optional().describe('Endpoint, e.g. a local OpenAI-compatible server'),
});

const ratesShape = {
  input: usd.optional(),
  output: usd.optional(),
  cache_read: usd.optional(),
  cache_write: usd.optional(),
  cache_write_1h: usd.optional(),
  reasoning: usd.optional(),
};
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'must be a date YYYY-MM-DD' })
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)), { error: 'is not a real date' });

// The same entry the price catalog accepts (src/cost/model-config.ts): an entry
// without input and output rates is refused here rather than priced at $0.
const priceSchema = z
  .strictObject({
    ...ratesShape,
    long_context: z
      .strictObject({ ...ratesShape, above_tokens: z.int().positive() })
      .optional()
      .describe('Rates for the whole call once the prompt exceeds above_tokens'),
    amortised: z
      .strictObject({ usd_per_hour: usd, tokens_per_hour: z.int().positive() })
      .optional()
      .describe('Local hardware: cost per hour spread over the tokens it serves'),
  })
  .superRefine((p, ctx) => {
    if (p.amortised) {
      const others = Object.keys(p).filter((k) => k !== 'amortised');
      if (others.length > 0)
        ctx.addIssue({
          code: 'custom',
          message: `amortised replaces per-token rates; remove ${others.join(', ')}`,
        });
      return;
    }
    for (const k of ['input', 'output'] as const)
      if (p[k] === undefined)
        ctx.addIssue({
          code: 'custom',
          path: [k],
          message: 'is required (USD per million tokens; 0 for a free model)',
        });
    if (p.long_context)
      for (const k of ['input', 'output'] as const)
        if (p.long_context[k] === undefined)
          ctx.addIssue({
            code: 'custom',
            path: ['long_context', k],
            message: 'is required (USD per million tokens)',
          });
  })
  .describe('USD per million tokens');

const modelSchema = z
  .strictObject({
    id: z.string().min(1),
    provider: nameSchema,
    aliases: z.array(z.string().min(1)).optional(),
    tier: nameSchema.optional().describe('Required for a model the built-in catalog lacks'),
    context_window: z.int().positive().optional(),
    local: z.boolean().optional(),
    price: priceSchema.optional(),
    effective: day.optional().describe('First UTC day the price applies; omitted: always'),
    source: z.string().optional().describe('Where the price comes from'),
  })
  .superRefine((m, ctx) => {
    if (m.effective !== undefined && m.price === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['effective'],
        message: 'dates a price, but the entry has no price',
      });
  });

const roleSchema = z.strictObject({
  members: z.array(z.string().min(1)).describe('Engineer handles'),
});

const budgetSchema = z.strictObject({
  id: nameSchema,
  scope: z.enum(BUDGET_SCOPES),
  target: z.string().min(1).optional().describe('org/team/project name or engineer handle'),
  period: z.enum(BUDGET_PERIODS),
  limit_usd: z.number().positive().describe('USD, greater than 0'),
  approaching_at: z
    .number()
    .gt(0)
    .lte(1)
    .optional()
    .describe('Fraction of the limit, in (0, 1]; default 0.8'),
  hard_cap: z.boolean().optional(),
  owner: nameSchema.optional().describe('A role'),
  approval_above_usd: usd
    .optional()
    .describe('At the limit, a dispatch estimated above this waits for `keel approve`; default 0'),
});

export const resourceSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, { error: 'must be a lowercase id' }),
  kind: z.enum(RESOURCE_KINDS),
  get children() {
    return z.array(resourceSchema).optional();
  },
  rate_limit: z
    .strictObject({ requests: z.int().positive(), per: durationSchema })
    .optional()
    .describe('api only'),
  capacity: z.int().positive().optional().describe('pool only: how many can be held at once'),
});

const poolSchema = z.strictObject({
  id: nameSchema,
  slots: z.int().positive(),
  labels: z.array(z.string().min(1)).optional(),
  runtimes: z.array(z.enum(RUNTIMES)).optional(),
});

const checkpointSchema = z.strictObject({
  id: nameSchema,
  actions: z.array(z.string().min(1)).min(1),
  approver: nameSchema.describe('A role'),
});

const cliCommandSchema = z
  .strictObject({
    command: z
      .array(z.string().min(1))
      .min(1)
      .describe('Program and leading arguments, e.g. [claude] or [node, bin/keel-sim-claude.js]'),
  })
  .describe(
    'How to start the CLI (an env override wins: KEEL_CLAUDE_CODE_COMMAND / KEEL_CODEX_COMMAND)',
  );

const runtimesSchema = z
  .strictObject({
    claude_code: cliCommandSchema.optional().describe('Claude Code (default command: [claude])'),
    codex: cliCommandSchema.optional().describe('Codex (default command: [codex])'),
  })
  .describe('Where the coding-agent CLIs come from');

const costPolicySchema = z
  .strictObject({
    webhook_url_env: envNameSchema
      .optional()
      .describe('Env var holding a URL that budget notices are POSTed to (never the URL itself)'),
    forecast_approval_above_usd: usd
      .optional()
      .describe('A work item whose p90 forecast exceeds this waits for `keel approve`'),
    defer_over_budget: z
      .boolean()
      .optional()
      .describe('Defer a work item whose p50 forecast exceeds what its budgets have left'),
  })
  .describe('How budgets and forecasts act on dispatch');

const fraction = z.number().min(0).max(1);
const targetsSchema = z
  .strictObject({
    cycle_time_hours: z.number().positive().optional(),
    rework_rate: fraction.optional(),
    wait_state_ratio: fraction.optional(),
    cost_per_feature_usd: usd.optional(),
    ai_acceptance_rate: fraction.optional(),
  })
  .describe('Targets for the five weekly numbers');

/** `.keel/keel.yaml`. */
export const keelConfigSchema = z
  .strictObject({
    version: z.literal(1).describe('Format version; must be 1'),
    org: identitySchema.describe('Organisation name'),
    team: identitySchema.describe('Team name'),
    project: identitySchema.describe('Project name'),
    store: storeSchema.optional(),
    providers: z.record(nameSchema, providerSchema).optional(),
    tiers: z.array(nameSchema).min(1).optional().describe('Model tiers, cheapest first'),
    models: z.array(modelSchema).optional(),
    routing: z
      .strictObject({ default_tier: nameSchema.optional(), prefer_local: z.boolean().optional() })
      .optional(),
    roles: z.record(nameSchema, roleSchema).optional(),
    budgets: z.array(budgetSchema).optional(),
    cost: costPolicySchema.optional(),
    resources: z.array(resourceSchema).optional(),
    pools: z.array(poolSchema).optional(),
    checkpoints: z.array(checkpointSchema).optional(),
    targets: targetsSchema.optional(),
    runtimes: runtimesSchema.optional(),
  })
  .describe('keel project settings (.keel/keel.yaml)');

/** The file as written, after validation. */
export type KeelConfigFile = z.infer<typeof keelConfigSchema>;
export type BudgetInput = z.infer<typeof budgetSchema>;
export type ResourceInput = z.infer<typeof resourceSchema>;
