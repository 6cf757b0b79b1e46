/** The catalog as `keel prices list` shows it: each model with the price in force at a date. */

import { canonicalProvider, priceAt } from './catalog.ts';
import type { ModelEntry, PriceCatalog, PriceEntry } from './catalog-types.ts';

export interface CatalogRow {
  provider: string;
  id: string;
  aliases: readonly string[];
  tier: string;
  contextWindow: number;
  local: boolean;
  origin: ModelEntry['origin'];
  /** The price in force at the listing date; null when none is yet (the model is unpriced then). */
  price: PriceEntry | null;
  history: readonly PriceEntry[];
}

const TIER_ORDER = ['local', 'economy', 'standard', 'frontier'];

// Declared tiers outside the built-in ones (and `unassigned`) list after them.
function tierRank(tier: string): number {
  const i = TIER_ORDER.indexOf(tier);
  return i < 0 ? TIER_ORDER.length : i;
}

/** Rows of the effective catalog at `at`, optionally for one provider, sorted by provider, tier, then price. */
export function catalogRows(
  catalog: PriceCatalog,
  at: Date,
  filter: { provider?: string; tier?: string } = {},
): CatalogRow[] {
  const provider = filter.provider === undefined ? undefined : canonicalProvider(filter.provider);
  return catalog.models
    .filter((m) => provider === undefined || m.provider === provider)
    .filter((m) => filter.tier === undefined || m.tier === filter.tier)
    .map((m) => ({
      provider: m.provider,
      id: m.id,
      aliases: m.aliases,
      tier: m.tier,
      contextWindow: m.contextWindow,
      local: m.local,
      origin: m.origin,
      price: priceAt(m, at) ?? null,
      history: m.prices,
    }))
    .sort((a, b) => {
      const cost = (r: CatalogRow) =>
        r.price ? r.price.rates.input + r.price.rates.output : Number.POSITIVE_INFINITY;
      return (
        a.provider.localeCompare(b.provider) ||
        tierRank(a.tier) - tierRank(b.tier) ||
        cost(a) - cost(b) ||
        a.id.localeCompare(b.id)
      );
    });
}
