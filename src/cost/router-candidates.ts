/** Router candidates from the catalog: each model's prior cost of a typical pass at its current price. */
import type { TokenUsage } from '../core/index.ts';
import type { ModelEntry, PriceCatalog } from './catalog-types.ts';
import type { RouterCandidate } from './learned-router.ts';
import { modelKey } from './model-choice.ts';
import { priceCall } from './price-call.ts';

/** Candidates for the learned router; models that cannot be priced are left out, never free. */
export function routerCandidates(
  catalog: PriceCatalog,
  models: readonly ModelEntry[],
  typicalPass: TokenUsage,
  at: Date,
): RouterCandidate[] {
  const out: RouterCandidate[] = [];
  for (const m of models) {
    const priced = priceCall({
      provider: m.provider,
      model: m.id,
      usage: typicalPass,
      at,
      catalog,
    });
    if (priced.status === 'priced')
      out.push({ model: modelKey(m), tier: m.tier, priorCostMicros: priced.costMicros });
  }
  return out;
}
