/**
 * Money arithmetic that does not drift. Costs are integers of micro-dollars
 * (1 µ$ = 0.000001 USD); prices are integers of pico-dollars per token, which is
 * exactly "micro-dollars per million tokens", so `$3.75 / MTok` is 3_750_000.
 * Multiplying tokens by a rate is done in BigInt (a billion tokens at $75/MTok
 * overflows a double's exact range) and rounded once, half up, to the micro-dollar.
 */

/** Integer micro-dollars. */
export type MicroUsd = number;

const PICO_PER_MICRO = 1_000_000n;

/** Converts a price in USD per million tokens to integer pico-dollars per token. */
export function ratePerMillionToPico(usdPerMillion: number): number {
  // Rounding to 1e-6 $/MTok absorbs binary noise such as 2.9999999999999996.
  return Math.round(usdPerMillion * 1_000_000);
}

/** Converts a price in USD per token (LiteLLM's unit) to integer pico-dollars per token. */
export function ratePerTokenToPico(usdPerToken: number): number {
  return Math.round(usdPerToken * 1e12);
}

/** Converts integer pico-dollars per token back to USD per million tokens, for display. */
export function picoToRatePerMillion(pico: number): number {
  return pico / 1_000_000;
}

/** Cost of `tokens` at `picoPerToken`, rounded half up to whole micro-dollars. */
export function costMicros(tokens: number, picoPerToken: number): MicroUsd {
  if (tokens === 0 || picoPerToken === 0) return 0;
  const pico = BigInt(tokens) * BigInt(picoPerToken);
  const micros = (pico + PICO_PER_MICRO / 2n) / PICO_PER_MICRO;
  return Number(micros);
}

/** Converts micro-dollars to a USD number (for display and JSON, never for sums). */
export function microsToUsd(micros: MicroUsd): number {
  return micros / 1_000_000;
}

/** Converts a USD amount (a budget limit, a reported cost) to integer micro-dollars. */
export function usdToMicros(usd: number): MicroUsd {
  return Math.round(usd * 1_000_000);
}

/** Formats micro-dollars as `$1.234567`, trimming to at least two decimals. */
export function formatUsd(micros: MicroUsd): string {
  const sign = micros < 0 ? '-' : '';
  const abs = Math.abs(micros);
  const whole = Math.floor(abs / 1_000_000);
  const frac = String(abs % 1_000_000)
    .padStart(6, '0')
    .replace(/0{1,4}$/, '');
  return `${sign}$${whole}.${frac.padEnd(2, '0')}`;
}

/** Cost of `tokens` at `picoPerToken`, rounded up to whole micro-dollars (for upper bounds). */
export function costMicrosCeil(tokens: number, picoPerToken: number): MicroUsd {
  const pico = BigInt(tokens) * BigInt(picoPerToken);
  return Number((pico + PICO_PER_MICRO - 1n) / PICO_PER_MICRO);
}
