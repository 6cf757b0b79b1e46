/** Resolves a validated keel.yaml: defaults filled, durations compiled, names in camelCase. */
import { DEFAULT_TIERS, RUNTIMES } from '../../core/index.ts';
import { BUILTIN_PROVIDERS } from '../rules/context.ts';
import type { KeelConfigFile, ResourceInput } from '../schemas/index.ts';
import type {
  Budget,
  KeelConfig,
  ModelPrice,
  ModelRates,
  Provider,
  Resource,
  Role,
} from '../types.ts';
import { ms } from './resolve-common.ts';

export const DEFAULT_SQLITE_PATH = '.keel/state/ledger.db';
export const DEFAULT_DATABASE_URL_ENV = 'KEEL_DATABASE_URL';
export const DEFAULT_APPROACHING_AT = 0.8;

/** Builds the resolved settings from a keel.yaml that passed validation. */
export function resolveConfig(file: KeelConfigFile): KeelConfig {
  const tiers = [...(file.tiers ?? DEFAULT_TIERS)];
  const roles: Record<string, Role> = {};
  for (const [name, role] of Object.entries(file.roles ?? {}))
    roles[name] = { name, members: [...role.members] };
  const providers: Record<string, Provider> = {};
  for (const [name, env] of Object.entries(BUILTIN_PROVIDERS)) {
    providers[name] = { name, kind: name as Provider['kind'], apiKeyEnv: env, baseUrl: undefined };
  }
  for (const [name, p] of Object.entries(file.providers ?? {})) {
    const builtinEnv = (BUILTIN_PROVIDERS as Record<string, string>)[p.kind];
    providers[name] = {
      name,
      kind: p.kind,
      apiKeyEnv: p.api_key_env ?? builtinEnv,
      baseUrl: p.base_url,
    };
  }
  const scopeName: Partial<Record<Budget['scope'], string>> = {
    org: file.org,
    team: file.team,
    project: file.project,
  };
  return {
    version: 1,
    org: file.org,
    team: file.team,
    project: file.project,
    store:
      file.store?.driver === 'postgres'
        ? { driver: 'postgres', urlEnv: file.store.url_env ?? DEFAULT_DATABASE_URL_ENV }
        : { driver: 'sqlite', path: file.store?.path ?? DEFAULT_SQLITE_PATH },
    providers,
    tiers,
    models: (file.models ?? []).map((m) => ({
      id: m.id,
      provider: m.provider,
      aliases: [...(m.aliases ?? [])],
      tier: m.tier,
      contextWindow: m.context_window,
      local: m.local,
      price: resolvePrice(m.price),
      effective: m.effective,
      source: m.source,
    })),
    routing: {
      defaultTier:
        file.routing?.default_tier ??
        (tiers.includes('standard') ? 'standard' : (tiers[0] as string)),
      preferLocal: file.routing?.prefer_local ?? false,
    },
    roles,
    budgets: (file.budgets ?? []).map((b) => ({
      id: b.id,
      scope: b.scope,
      target: b.target ?? scopeName[b.scope],
      period: b.period,
      limitUsd: b.limit_usd,
      approachingAt: b.approaching_at ?? DEFAULT_APPROACHING_AT,
      hardCap: b.hard_cap ?? false,
      owner: b.owner,
      ...(b.approval_above_usd !== undefined && { approvalAboveUsd: b.approval_above_usd }),
    })),
    cost: {
      webhookUrlEnv: file.cost?.webhook_url_env,
      forecastApprovalAboveUsd: file.cost?.forecast_approval_above_usd,
      deferOverBudget: file.cost?.defer_over_budget ?? false,
    },
    resources: (file.resources ?? []).map((r) => resolveResource(r, undefined)),
    pools: (file.pools ?? []).map((p) => ({
      id: p.id,
      slots: p.slots,
      labels: [...(p.labels ?? [])],
      runtimes: [...(p.runtimes ?? RUNTIMES)],
    })),
    checkpoints: (file.checkpoints ?? []).map((c) => ({
      id: c.id,
      actions: [...c.actions],
      approver: roles[c.approver] ?? { name: c.approver, members: [] },
    })),
    targets: {
      cycleTimeHours: file.targets?.cycle_time_hours,
      reworkRate: file.targets?.rework_rate,
      waitStateRatio: file.targets?.wait_state_ratio,
      costPerFeatureUsd: file.targets?.cost_per_feature_usd,
      aiAcceptanceRate: file.targets?.ai_acceptance_rate,
    },
    ...(file.runtimes && {
      runtimes: {
        ...(file.runtimes.claude_code && {
          claudeCode: { command: [...file.runtimes.claude_code.command] },
        }),
        ...(file.runtimes.codex && { codex: { command: [...file.runtimes.codex.command] } }),
      },
    }),
  };
}

type PriceInput = NonNullable<NonNullable<KeelConfigFile['models']>[number]['price']>;
type RatesInput = Omit<PriceInput, 'long_context' | 'amortised'>;

function rates(r: RatesInput): ModelRates | undefined {
  // Validation requires both; without them there is no price, never a price of 0.
  if (r.input === undefined || r.output === undefined) return undefined;
  return {
    input: r.input,
    output: r.output,
    cacheRead: r.cache_read,
    cacheWrite: r.cache_write,
    cacheWrite1h: r.cache_write_1h,
    reasoning: r.reasoning,
  };
}

function resolvePrice(p: PriceInput | undefined): ModelPrice | undefined {
  if (p === undefined) return undefined;
  if (p.amortised) {
    const perMillion = (p.amortised.usd_per_hour / p.amortised.tokens_per_hour) * 1e6;
    return {
      input: perMillion,
      output: perMillion,
      cacheRead: undefined,
      cacheWrite: undefined,
      cacheWrite1h: undefined,
      reasoning: undefined,
      longContext: undefined,
      amortised: {
        usdPerHour: p.amortised.usd_per_hour,
        tokensPerHour: p.amortised.tokens_per_hour,
      },
    };
  }
  const base = rates(p);
  if (!base) return undefined;
  const lc = p.long_context ? rates(p.long_context) : undefined;
  return {
    ...base,
    longContext:
      p.long_context && lc ? { aboveTokens: p.long_context.above_tokens, rates: lc } : undefined,
    amortised: undefined,
  };
}

function resolveResource(r: ResourceInput, parent: string | undefined): Resource {
  return {
    id: r.id,
    kind: r.kind,
    parent,
    children: (r.children ?? []).map((c) => resolveResource(c, r.id)),
    rateLimit: r.rate_limit
      ? { requests: r.rate_limit.requests, perMs: ms(r.rate_limit.per) ?? 0 }
      : undefined,
    capacity: r.capacity,
  };
}
