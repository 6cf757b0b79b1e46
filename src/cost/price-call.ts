/**
 * Exact cost of one model call from its normalised usage and the price in force
 * at the call's time. Each component is rounded half up to the micro-dollar and
 * the total is the sum of the rounded components, so a breakdown always adds up
 * (at most 3 µ$ from the unrounded figure: six rounded parts, 0.5 µ$ each). An unknown model or a usage that
 * cannot be priced yields `unpriced` with a reason, never a silent $0.
 */
import type { TokenUsage } from '../core/index.ts';
import { findModel, type ModelMatch, priceAt, utcDay } from './catalog.ts';
import type { PriceCatalog, PriceOrigin, PriceRates } from './catalog-types.ts';
import { costMicros, type MicroUsd, microsToUsd, ratePerMillionToPico } from './money.ts';

/** Micro-dollars per billed component; `output` excludes the reasoning part. */
export interface CostBreakdown {
  input: MicroUsd;
  output: MicroUsd;
  cacheRead: MicroUsd;
  cacheWrite: MicroUsd;
  reasoning: MicroUsd;
}

/** Which price was used: stored with the call so a later price change never alters it. */
export interface PriceRef {
  entryId: string;
  effective: string;
  origin: PriceOrigin;
  source: string;
  provider: string;
  model: string;
  matchedBy: ModelMatch;
  /** The long-context rates applied because the prompt exceeded their threshold. */
  longContext: boolean;
}

export interface PricedCall {
  status: 'priced';
  costMicros: MicroUsd;
  costUsd: number;
  breakdown: CostBreakdown;
  priceRef: PriceRef;
  /** Rates that were missing and replaced by another (e.g. cache writes at the input rate). */
  notes: string[];
}

export interface UnpricedCall {
  status: 'unpriced';
  reason: string;
  hint: string;
}

export type PriceResult = PricedCall | UnpricedCall;

export interface PriceCallInput {
  provider: string;
  model: string;
  usage: TokenUsage;
  at: Date;
  catalog: PriceCatalog;
}

function usageProblem(u: TokenUsage): string | undefined {
  const fields = [
    'inputTokens',
    'outputTokens',
    'cacheReadTokens',
    'cacheWriteTokens',
    'reasoningTokens',
  ] as const;
  for (const f of fields) {
    const v = u[f];
    if (!Number.isSafeInteger(v) || v < 0) return `${f} is ${v}, not a non-negative integer`;
  }
  const oneHour = u.cacheWrite1hTokens ?? 0;
  if (!Number.isSafeInteger(oneHour) || oneHour < 0)
    return `cacheWrite1hTokens is ${oneHour}, not a non-negative integer`;
  if (oneHour > u.cacheWriteTokens)
    return `cacheWrite1hTokens (${oneHour}) exceeds cacheWriteTokens (${u.cacheWriteTokens})`;
  if (u.reasoningTokens > u.outputTokens)
    return `reasoningTokens (${u.reasoningTokens}) exceed outputTokens (${u.outputTokens}); reasoning is part of output`;
  return undefined;
}

/** Prices one call; callers must handle `unpriced` (flag it, never record it as $0). */
export function priceCall(input: PriceCallInput): PriceResult {
  const { usage, at } = input;
  const problem = usageProblem(usage);
  if (problem) {
    return {
      status: 'unpriced',
      reason: `usage of ${input.provider}/${input.model} cannot be priced: ${problem}`,
      hint: 'normalise provider usage with normaliseOpenAIUsage / normaliseAnthropicUsage / normaliseGoogleUsage',
    };
  }
  const found = findModel(input.catalog, input.provider, input.model);
  if (!found) {
    return {
      status: 'unpriced',
      reason: `unknown model ${input.provider}/${input.model}: it is not in the price catalog`,
      hint: 'add it under `models:` in .keel/keel.yaml with its tier and price, or run `keel prices import`',
    };
  }
  const { model } = found;
  const entry = priceAt(model, at);
  if (!entry) {
    return {
      status: 'unpriced',
      reason: `no price of ${model.provider}/${model.id} is effective on ${utcDay(at)} (first price from ${model.prices[0]?.effective ?? 'never'})`,
      hint: 'add a price entry with an earlier `effective` date in .keel/keel.yaml `models:`',
    };
  }
  const promptTokens = usage.inputTokens + usage.cacheReadTokens + usage.cacheWriteTokens;
  const long = entry.longContext !== undefined && promptTokens > entry.longContext.aboveTokens;
  const rates: PriceRates = long && entry.longContext ? entry.longContext.rates : entry.rates;
  const notes: string[] = [];
  const rate = (value: number | undefined, fallback: number, what: string, tokens: number) => {
    if (value !== undefined) return ratePerMillionToPico(value);
    if (tokens > 0) notes.push(what);
    return ratePerMillionToPico(fallback);
  };
  const oneHour = usage.cacheWrite1hTokens ?? 0;
  const fiveMinute = usage.cacheWriteTokens - oneHour;
  const cacheWriteRate = rate(
    rates.cacheWrite,
    rates.input,
    'cache writes billed at the input rate: the price has no cache-write rate',
    usage.cacheWriteTokens,
  );
  const cacheWrite1hRate =
    rates.cacheWrite1h !== undefined ? ratePerMillionToPico(rates.cacheWrite1h) : cacheWriteRate;
  if (rates.cacheWrite1h === undefined && oneHour > 0)
    notes.push('1-hour cache writes billed at the 5-minute rate: the price has no 1-hour rate');
  const breakdown: CostBreakdown = {
    input: costMicros(usage.inputTokens, ratePerMillionToPico(rates.input)),
    output: costMicros(
      usage.outputTokens - usage.reasoningTokens,
      ratePerMillionToPico(rates.output),
    ),
    cacheRead: costMicros(
      usage.cacheReadTokens,
      rate(
        rates.cacheRead,
        rates.input,
        'cache reads billed at the input rate: the price has no cache-read rate',
        usage.cacheReadTokens,
      ),
    ),
    cacheWrite: costMicros(fiveMinute, cacheWriteRate) + costMicros(oneHour, cacheWrite1hRate),
    // Reasoning is billed as output unless the price says otherwise; no note, that is the norm.
    reasoning: costMicros(
      usage.reasoningTokens,
      ratePerMillionToPico(rates.reasoning ?? rates.output),
    ),
  };
  const total =
    breakdown.input +
    breakdown.output +
    breakdown.cacheRead +
    breakdown.cacheWrite +
    breakdown.reasoning;
  return {
    status: 'priced',
    costMicros: total,
    costUsd: microsToUsd(total),
    breakdown,
    priceRef: {
      entryId: entry.id,
      effective: entry.effective,
      origin: entry.origin,
      source: entry.source,
      provider: model.provider,
      model: model.id,
      matchedBy: found.matchedBy,
      longContext: long,
    },
    notes,
  };
}
