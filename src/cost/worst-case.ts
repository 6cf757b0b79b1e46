/**
 * Upper bounds for reservations. A hard-capped budget holds only if no call
 * costs more than it reserved, so the engine reserves a call's worst case and
 * caps its output tokens to fit: every prompt token at the dearest prompt rate
 * (a 1-hour cache write, typically), every output token at the dearest output
 * rate, long-context rates when the prompt is past their threshold, rounded up,
 * plus priceCall's rounding allowance — so no call within the cap can cost more.
 */

import { findModel, priceAt } from './catalog.ts';
import type { PriceCatalog, PriceRates } from './catalog-types.ts';
import { costMicrosCeil, type MicroUsd, ratePerMillionToPico } from './money.ts';

/** priceCall rounds six components half up: together at most 3 µ$ above the exact figure. */
export const ROUNDING_ALLOWANCE_MICROS = 3;

export interface WorstCaseInput {
  provider: string;
  model: string;
  /** Tokens of the prompt as sent (uncached, cached and to-be-cached alike). */
  promptTokens: number;
  at: Date;
  catalog: PriceCatalog;
}

export type WorstCaseRates =
  | { status: 'priced'; promptPico: number; outputPico: number; entryId: string }
  | { status: 'unpriced'; reason: string };

function dearestPrompt(r: PriceRates): number {
  return Math.max(r.input, r.cacheRead ?? 0, r.cacheWrite ?? 0, r.cacheWrite1h ?? 0);
}

/** The dearest per-token rates a call with this prompt can be billed at. */
export function worstCaseRates(input: WorstCaseInput): WorstCaseRates {
  const found = findModel(input.catalog, input.provider, input.model);
  if (!found)
    return { status: 'unpriced', reason: `unknown model ${input.provider}/${input.model}` };
  const entry = priceAt(found.model, input.at);
  if (!entry)
    return { status: 'unpriced', reason: `no price of ${input.provider}/${input.model} in force` };
  const long = entry.longContext && input.promptTokens > entry.longContext.aboveTokens;
  const rates = long && entry.longContext ? entry.longContext.rates : entry.rates;
  return {
    status: 'priced',
    promptPico: ratePerMillionToPico(dearestPrompt(rates)),
    outputPico: ratePerMillionToPico(Math.max(rates.output, rates.reasoning ?? 0)),
    entryId: entry.id,
  };
}

/** The most a call can cost with this prompt and `maxOutputTokens`, in µ$ rounded up. */
export function worstCaseCost(
  input: WorstCaseInput & { maxOutputTokens: number },
):
  | { status: 'priced'; costMicros: MicroUsd; entryId: string }
  | { status: 'unpriced'; reason: string } {
  const r = worstCaseRates(input);
  if (r.status === 'unpriced') return r;
  return {
    status: 'priced',
    costMicros:
      costMicrosCeil(input.promptTokens, r.promptPico) +
      costMicrosCeil(input.maxOutputTokens, r.outputPico) +
      ROUNDING_ALLOWANCE_MICROS,
    entryId: r.entryId,
  };
}

/**
 * The largest output-token cap that keeps the call's worst case within
 * `reservedMicros`; `promptFits` is false when even the prompt alone may not fit,
 * and the call must not be dispatched on this reservation.
 */
export function maxOutputTokensWithin(
  input: WorstCaseInput & { reservedMicros: MicroUsd },
):
  | { status: 'priced'; maxOutputTokens: number; promptFits: boolean }
  | { status: 'unpriced'; reason: string } {
  const r = worstCaseRates(input);
  if (r.status === 'unpriced') return r;
  const left =
    BigInt(input.reservedMicros) * 1_000_000n - BigInt(input.promptTokens) * BigInt(r.promptPico);
  if (left < 0n) return { status: 'priced', maxOutputTokens: 0, promptFits: false };
  if (r.outputPico === 0)
    return { status: 'priced', maxOutputTokens: Number.MAX_SAFE_INTEGER, promptFits: true };
  return {
    status: 'priced',
    maxOutputTokens: Number(left / BigInt(r.outputPico)),
    promptFits: true,
  };
}
