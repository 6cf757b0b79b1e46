/**
 * From a tier to a model: the cheapest allowed model of the tier, and on a
 * provider error another model of the same tier from a different provider.
 */

import { modelsOfTier } from './catalog.ts';
import type { ModelEntry, PriceCatalog } from './catalog-types.ts';

export interface ModelChoiceRequest {
  catalog: PriceCatalog;
  tier: string;
  at: Date;
  /** `provider/model` keys the agent or policy allows; all when absent. */
  allowed?: readonly string[];
  /** Providers currently failing; their models are skipped. */
  excludedProviders?: readonly string[];
}

/** `provider/model`, the key routing and stats use for a model. */
export function modelKey(m: Pick<ModelEntry, 'provider' | 'id'>): string {
  return `${m.provider}/${m.id}`;
}

/** The models a pass may use at a tier, cheapest first. */
export function eligibleModels(req: ModelChoiceRequest): ModelEntry[] {
  return modelsOfTier(req.catalog, req.tier, req.at).filter(
    (m) =>
      (req.allowed === undefined || req.allowed.includes(modelKey(m))) &&
      !(req.excludedProviders ?? []).includes(m.provider),
  );
}

/** The cheapest eligible model of the tier, or undefined when none is left. */
export function chooseModel(req: ModelChoiceRequest): ModelEntry | undefined {
  return eligibleModels(req)[0];
}

/** After a provider error: the cheapest model of the same tier from another provider. */
export function fallbackModel(
  req: Omit<ModelChoiceRequest, 'tier'> & { failed: ModelEntry },
): ModelEntry | undefined {
  return chooseModel({
    ...req,
    tier: req.failed.tier,
    excludedProviders: [...(req.excludedProviders ?? []), req.failed.provider],
  });
}
