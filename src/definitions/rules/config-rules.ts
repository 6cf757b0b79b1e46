/** Consistency rules inside `.keel/keel.yaml`: references, duplicates, store and resource fields. */

import { DEFAULT_TIERS } from '../../core/index.ts';
import { suggestion } from '../did-you-mean.ts';
import type { KeelConfigFile } from '../schemas/index.ts';
import type { FieldPath } from '../source/yaml-source.ts';
import { checkBudgets } from './budget-rules.ts';
import {
  BUILTIN_PROVIDERS,
  type CheckContext,
  type Checked,
  type ConfigNames,
  reportDuplicates,
  walkResources,
} from './context.ts';
import { checkRole, checkTier } from './references.ts';

/** Providers the price catalog bills under without a `providers:` entry (prices only). */
const CATALOG_PROVIDERS = ['anthropic', 'openai', 'google'];

/** The names keel.yaml declares, for the other files' references. */
export function configNames(config: KeelConfigFile): ConfigNames {
  const resources = new Map<string, string | undefined>();
  walkResources(config.resources, (r, _path, parent) => {
    if (!resources.has(r.id)) resources.set(r.id, parent);
  });
  return {
    tiers: [...(config.tiers ?? DEFAULT_TIERS)],
    roles: Object.keys(config.roles ?? {}),
    providers: [
      ...new Set([...Object.keys(BUILTIN_PROVIDERS), ...Object.keys(config.providers ?? {})]),
    ],
    resources,
  };
}

/** Checks keel.yaml on its own. */
export function checkConfig(
  ctx: CheckContext,
  config: Checked<KeelConfigFile>,
  names: ConfigNames,
): void {
  const { source, data } = config;
  const report = ctx.sink.report.bind(ctx.sink, source);

  const driver = data.store?.driver ?? 'sqlite';
  if (driver === 'postgres' && data.store?.path !== undefined) {
    report({
      rule: 'store-driver-field',
      path: ['store', 'path'],
      anchor: 'key',
      message: '`store.path` is only used by the sqlite driver',
      hint: 'for postgres, set `url_env` to the name of the env var holding the URL',
    });
  }
  if (driver === 'sqlite' && data.store?.url_env !== undefined) {
    report({
      rule: 'store-driver-field',
      path: ['store', 'url_env'],
      anchor: 'key',
      message: '`store.url_env` is only used by the postgres driver',
      hint: 'set `driver: postgres`, or remove `url_env`',
    });
  }

  for (const [name, provider] of Object.entries(data.providers ?? {})) {
    if (provider.kind === 'openai-compatible' && provider.base_url === undefined) {
      report({
        rule: 'missing-field',
        path: ['providers', name],
        anchor: 'key',
        message: `provider \`${name}\` is openai-compatible and needs \`base_url\``,
        hint: 'e.g. `base_url: "http://127.0.0.1:11434/v1"` for Ollama',
      });
    }
  }

  reportDuplicates(
    ctx,
    source,
    (data.tiers ?? []).map((id, i) => ({ id, path: ['tiers', i] })),
    'tier',
  );
  reportDuplicates(
    ctx,
    source,
    // A model may appear once per effective date: later entries extend its price history.
    (data.models ?? []).map((m, i) => ({
      id: `${m.provider}/${m.id}${m.effective ? `@${m.effective}` : ''}`,
      path: ['models', i, 'id'],
    })),
    'model',
  );
  data.models?.forEach((model, i) => {
    const known = [...names.providers, ...CATALOG_PROVIDERS];
    if (!known.includes(model.provider)) {
      report({
        rule: 'unknown-provider',
        path: ['models', i, 'provider'],
        message: `model \`${model.id}\` names unknown provider \`${model.provider}\``,
        hint: suggestion(model.provider, known, 'provider'),
      });
    }
    if (model.tier !== undefined) checkTier(ctx, config, ['models', i, 'tier'], model.tier, names);
  });
  if (data.routing?.default_tier !== undefined) {
    checkTier(ctx, config, ['routing', 'default_tier'], data.routing.default_tier, names);
  }

  const resourceIds: { id: string; path: FieldPath }[] = [];
  walkResources(data.resources, (resource, path) => {
    resourceIds.push({ id: resource.id, path: [...path, 'id'] });
    if (resource.capacity !== undefined && resource.kind !== 'pool') {
      report({
        rule: 'resource-kind-field',
        path: [...path, 'capacity'],
        anchor: 'key',
        message: `\`capacity\` applies to pool resources, and \`${resource.id}\` is a ${resource.kind}`,
        hint: 'remove `capacity`, or set `kind: pool`',
      });
    }
    if (resource.kind === 'pool' && resource.capacity === undefined) {
      report({
        rule: 'resource-kind-field',
        path,
        message: `pool resource \`${resource.id}\` needs a \`capacity\``,
        hint: 'add `capacity: N`, how many can be held at once',
      });
    }
    if (resource.rate_limit !== undefined && resource.kind !== 'api') {
      report({
        rule: 'resource-kind-field',
        path: [...path, 'rate_limit'],
        anchor: 'key',
        message: `\`rate_limit\` applies to api resources, and \`${resource.id}\` is a ${resource.kind}`,
        hint: 'remove `rate_limit`, or set `kind: api`',
      });
    }
  });
  reportDuplicates(ctx, source, resourceIds, 'resource');
  reportDuplicates(
    ctx,
    source,
    (data.pools ?? []).map((p, i) => ({ id: p.id, path: ['pools', i, 'id'] })),
    'pool',
  );
  reportDuplicates(
    ctx,
    source,
    (data.checkpoints ?? []).map((c, i) => ({ id: c.id, path: ['checkpoints', i, 'id'] })),
    'checkpoint',
  );
  data.checkpoints?.forEach((checkpoint, i) => {
    checkRole(
      ctx,
      config,
      ['checkpoints', i, 'approver'],
      checkpoint.approver,
      names,
      `checkpoint \`${checkpoint.id}\``,
    );
  });
  checkBudgets(ctx, config, names);
}
