/**
 * Minimal routing from a tier to a model: the cheapest model of the tier in
 * the effective catalog whose provider keel.yaml configures, preferring
 * providers whose API key is present in the environment.
 */
import { modelsOfTier, type PriceCatalog } from '../cost/index.ts';
import type { KeelConfig, Provider } from '../definitions/index.ts';
import type { ModelTarget } from '../runtimes/index.ts';

/** The model an attempt at `tier` runs on, or undefined when no configured provider has one. */
export function chooseTarget(
  config: KeelConfig,
  catalog: PriceCatalog,
  tier: string,
  env: NodeJS.ProcessEnv,
  at: Date = new Date(),
  /** Only providers of these kinds (a coding-agent CLI runs its vendor's models only). */
  providerKinds?: readonly string[],
): ModelTarget | undefined {
  const candidates: ModelTarget[] = [];
  for (const model of modelsOfTier(catalog, tier, at)) {
    const provider = providerFor(config, model.provider);
    if (provider && (!providerKinds || providerKinds.includes(provider.kind))) {
      candidates.push({
        provider: {
          name: provider.name,
          kind: provider.kind,
          ...(provider.apiKeyEnv !== undefined && { apiKeyEnv: provider.apiKeyEnv }),
          ...(provider.baseUrl !== undefined && { baseUrl: provider.baseUrl }),
        },
        model: model.id,
      });
    }
  }
  const keyed = candidates.find((c) => {
    const variable = c.provider.apiKeyEnv;
    return variable === undefined || Boolean(env[variable]);
  });
  return keyed ?? candidates[0];
}

function providerFor(config: KeelConfig, catalogProvider: string): Provider | undefined {
  return (
    config.providers[catalogProvider] ??
    Object.values(config.providers).find((p) => p.kind === catalogProvider)
  );
}
