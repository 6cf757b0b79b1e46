/**
 * The shape of the price catalog: models with their tier and context window, and
 * a dated list of price entries per model. Prices are USD per million tokens for
 * readability; arithmetic converts them to integers (see money.ts).
 */

/** Where a catalog entry came from; later origins override earlier ones. */
export const PRICE_ORIGINS = ['built-in', 'imported', 'keel.yaml'] as const;
export type PriceOrigin = (typeof PRICE_ORIGINS)[number];

/** Rates in USD per million tokens. A missing optional rate falls back as priceCall documents. */
export interface PriceRates {
  input: number;
  output: number;
  cacheRead?: number;
  /** Cache writes with the default (5-minute) lifetime. */
  cacheWrite?: number;
  /** Cache writes with a 1-hour lifetime, where the provider prices them apart. */
  cacheWrite1h?: number;
  /** Reasoning tokens, where billed differently from output (usually they are not). */
  reasoning?: number;
}

/** Higher rates applied to a whole call whose prompt exceeds `aboveTokens` (Gemini 2.5 Pro, Sonnet 4.x 1M). */
export interface LongContextRates {
  aboveTokens: number;
  rates: PriceRates;
}

/** One price of one model, in force from `effective` until the next entry. */
export interface PriceEntry {
  /** Stable id stored with every priced call: `origin:provider/model@effective`. */
  id: string;
  /** First UTC day the price applies, `YYYY-MM-DD`. */
  effective: string;
  rates: PriceRates;
  longContext?: LongContextRates;
  /** Where the figures were published, and when they were checked. */
  source: string;
  origin: PriceOrigin;
}

/** A model keel can price and route to. */
export interface ModelEntry {
  id: string;
  provider: string;
  aliases: readonly string[];
  /** `local`, `economy`, `standard`, `frontier`, or a tier declared in keel.yaml. */
  tier: string;
  contextWindow: number;
  /** Runs on the team's own hardware (an OpenAI-compatible local server). */
  local: boolean;
  /** Sorted by `effective`, oldest first. */
  prices: readonly PriceEntry[];
  origin: PriceOrigin;
}

/** The effective catalog: built-in entries with imported files and keel.yaml merged over them. */
export interface PriceCatalog {
  readonly models: readonly ModelEntry[];
}
