/** Resolves a validated keel.yaml: defaults filled, durations compiled, names in camelCase. */
import { DEFAULT_TIERS, RUNTIMES } from '../../core/index.ts';
import { BUILTIN_PROVIDERS } from '../rules/context.ts';
import type { KeelConfigFile, ResourceInput } from '../schemas/index.ts';
import type { Budget, KeelConfig, Provider, Resource, Role } from '../types.ts';
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
      tier: m.tier,
      contextWindow: m.context_window,
      price:
        m.price === undefined
          ? undefined
          : {
              input: m.price.input ?? 0,
              output: m.price.output ?? 0,
              cacheRead: m.price.cache_read,
              cacheWrite: m.price.cache_write,
              cacheWrite1h: m.price.cache_write_1h,
              reasoning: m.price.reasoning,
            },
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
    })),
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
