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

const priceSchema = z
  .strictObject({
    input: usd.optional(),
    output: usd.optional(),
    cache_read: usd.optional(),
    cache_write: usd.optional(),
    cache_write_1h: usd.optional(),
    reasoning: usd.optional(),
  })
  .describe('USD per million tokens');

const modelSchema = z.strictObject({
  id: z.string().min(1),
  provider: nameSchema,
  tier: nameSchema,
  context_window: z.int().positive().optional(),
  price: priceSchema.optional(),
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
    resources: z.array(resourceSchema).optional(),
    pools: z.array(poolSchema).optional(),
    checkpoints: z.array(checkpointSchema).optional(),
    targets: targetsSchema.optional(),
  })
  .describe('keel project settings (.keel/keel.yaml)');

/** The file as written, after validation. */
export type KeelConfigFile = z.infer<typeof keelConfigSchema>;
export type BudgetInput = z.infer<typeof budgetSchema>;
export type ResourceInput = z.infer<typeof resourceSchema>;
