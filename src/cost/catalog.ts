/**
 * The effective catalog: finding a model by provider and id (or alias, or dated
 * snapshot), choosing the price in force at a call's time, and merging
 * overrides (imported price maps, then keel.yaml) over the built-in entries.
 */
import { InvalidInputError } from '../core/index.ts';
import { BUILT_IN_MODELS } from './built-in-catalog.ts';
import type {
  LongContextRates,
  ModelEntry,
  PriceCatalog,
  PriceEntry,
  PriceOrigin,
  PriceRates,
} from './catalog-types.ts';

/** A model declared or corrected outside the built-in data (keel.yaml, an imported file). */
export interface ModelOverride {
  id: string;
  provider: string;
  aliases?: readonly string[];
  tier?: string;
  contextWindow?: number;
  local?: boolean;
  /** Without `effective`, the price replaces every earlier price of the model (a negotiated rate). */
  price?: {
    effective?: string;
    rates: PriceRates;
    longContext?: LongContextRates;
    source: string;
  };
  origin: PriceOrigin;
}

/** The effective date used for an override price given without one: before any call. */
export const ALWAYS = '1970-01-01';

// Provider names that tools spell differently but bill identically.
const PROVIDER_ALIASES: Record<string, string> = {
  gemini: 'google',
  'google-ai': 'google',
  'google-generative-ai': 'google',
};

/** Canonical provider name (`gemini` → `google`), lower-cased. */
export function canonicalProvider(provider: string): string {
  const p = provider.trim().toLowerCase();
  return PROVIDER_ALIASES[p] ?? p;
}

function canonicalModel(provider: string, model: string): string {
  let m = model.trim().toLowerCase();
  // Tools often prefix the provider: `anthropic/claude-…`, `gemini/gemini-…`, `models/gemini-…`.
  const slash = m.indexOf('/');
  if (slash > 0 && canonicalProvider(m.slice(0, slash)) === provider) m = m.slice(slash + 1);
  if (m.startsWith('models/')) m = m.slice('models/'.length);
  return m;
}

/** How a model name was recognised; a snapshot match is reported so nobody is surprised. */
export type ModelMatch = 'id' | 'alias' | 'snapshot';

/** Finds a model by provider and name: exact id, alias, or a dated snapshot of a known id. */
export function findModel(
  catalog: PriceCatalog,
  provider: string,
  model: string,
): { model: ModelEntry; matchedBy: ModelMatch } | undefined {
  const p = canonicalProvider(provider);
  const m = canonicalModel(p, model);
  const candidates = catalog.models.filter((e) => e.provider === p);
  const byId = candidates.find((e) => e.id === m);
  if (byId) return { model: byId, matchedBy: 'id' };
  const byAlias = candidates.find((e) => e.aliases.includes(m));
  if (byAlias) return { model: byAlias, matchedBy: 'alias' };
  // Dated snapshots (`-20250929`, `-2025-08-07`) are priced like the model they snapshot.
  const base = m.replace(/-(\d{8}|\d{4}-\d{2}-\d{2})$/, '');
  if (base !== m) {
    const snap = candidates.find((e) => e.id === base || e.aliases.includes(base));
    if (snap) return { model: snap, matchedBy: 'snapshot' };
  }
  return undefined;
}

/** UTC calendar day of an instant, `YYYY-MM-DD`. */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** The price entry in force at `at`: the latest effective on or before that UTC day. */
export function priceAt(model: ModelEntry, at: Date): PriceEntry | undefined {
  const day = utcDay(at);
  let found: PriceEntry | undefined;
  for (const entry of model.prices) if (entry.effective <= day) found = entry;
  return found;
}

function entryId(origin: PriceOrigin, provider: string, id: string, effective: string): string {
  return `${origin}:${provider}/${id}@${effective}`;
}

function toPriceEntry(o: ModelOverride, provider: string, id: string): PriceEntry | undefined {
  if (!o.price) return undefined;
  const effective = o.price.effective ?? ALWAYS;
  return {
    id: entryId(o.origin, provider, id, effective),
    effective,
    rates: o.price.rates,
    ...(o.price.longContext ? { longContext: o.price.longContext } : {}),
    source: o.price.source,
    origin: o.origin,
  };
}

function mergePrices(existing: readonly PriceEntry[], added: PriceEntry | undefined): PriceEntry[] {
  if (!added) return [...existing];
  // An undated override is the price for all time; a dated one is added to the history,
  // replacing an entry of the same day.
  const kept =
    added.effective === ALWAYS ? [] : existing.filter((e) => e.effective !== added.effective);
  return [...kept, added].sort((a, b) => a.effective.localeCompare(b.effective));
}

/** Applies overrides in order over `base`; a new model must state its tier and price. */
export function mergeModels(
  base: readonly ModelEntry[],
  overrides: readonly ModelOverride[],
): ModelEntry[] {
  const models = [...base];
  for (const o of overrides) {
    const provider = canonicalProvider(o.provider);
    const catalog = { models };
    const found = findModel(catalog, provider, o.id);
    if (found && found.matchedBy !== 'snapshot') {
      const current = found.model;
      const next: ModelEntry = {
        ...current,
        aliases: [...new Set([...current.aliases, ...(o.aliases ?? [])])],
        tier: o.tier ?? current.tier,
        contextWindow: o.contextWindow ?? current.contextWindow,
        local: o.local ?? current.local,
        prices: mergePrices(current.prices, toPriceEntry(o, provider, current.id)),
        origin: o.origin,
      };
      models[models.indexOf(current)] = next;
      continue;
    }
    const id = canonicalModel(provider, o.id);
    if (o.tier === undefined || o.price === undefined) {
      throw new InvalidInputError(
        `model ${provider}/${id} (${o.origin}) is not in the catalog and has no ${o.tier === undefined ? 'tier' : 'price'}`,
        {
          hint: 'a new model needs `tier` and `price` (use `price: { input: 0, output: 0 }` for a free local model)',
        },
      );
    }
    models.push({
      id,
      provider,
      aliases: o.aliases ?? [],
      tier: o.tier,
      contextWindow: o.contextWindow ?? 0,
      local: o.local ?? o.tier === 'local',
      prices: mergePrices([], toPriceEntry(o, provider, id)),
      origin: o.origin,
    });
  }
  return models;
}

/** Builds the effective catalog: built-in, then imported files, then keel.yaml `models:`. */
export function buildCatalog(
  options: {
    imported?: readonly ModelOverride[];
    configured?: readonly ModelOverride[];
    base?: readonly ModelEntry[];
  } = {},
): PriceCatalog {
  const base = options.base ?? BUILT_IN_MODELS;
  return {
    models: mergeModels(base, [...(options.imported ?? []), ...(options.configured ?? [])]),
  };
}

/** Models of one tier, cheapest first by current input+output list price. */
export function modelsOfTier(catalog: PriceCatalog, tier: string, at: Date): ModelEntry[] {
  return catalog.models
    .filter((m) => m.tier === tier && priceAt(m, at) !== undefined)
    .sort((a, b) => blendedRate(a, at) - blendedRate(b, at) || a.id.localeCompare(b.id));
}

/** A single figure for ordering models by price: input + output USD per million tokens. */
export function blendedRate(model: ModelEntry, at: Date): number {
  const p = priceAt(model, at);
  return p ? p.rates.input + p.rates.output : Number.POSITIVE_INFINITY;
}
