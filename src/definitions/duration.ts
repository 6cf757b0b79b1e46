/**
 * Durations in definition files: strings such as `30s`, `10m`, `2h` or `1h30m`,
 * compiled once to milliseconds when definitions are resolved.
 */

/** The accepted syntax, also used as the JSON Schema `pattern` so editors flag mistakes early. */
export const DURATION_PATTERN = /^(?:\d+(?:ms|s|m|h|d))+$/;

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Parses a duration string to milliseconds; undefined when it is not a valid, positive duration. */
export function parseDuration(text: string): number | undefined {
  if (!DURATION_PATTERN.test(text)) return undefined;
  let total = 0;
  for (const match of text.matchAll(/(\d+)(ms|s|m|h|d)/g)) {
    total += Number(match[1]) * (UNIT_MS[match[2] ?? ''] ?? 0);
  }
  return total > 0 && Number.isSafeInteger(total) ? total : undefined;
}
