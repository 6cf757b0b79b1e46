/**
 * Parses `--since` / `--until` values: a relative age (`90d`, `12w`, `36h`), an
 * ISO 8601 date or date-time, or `all` for since. Pure: "now" is passed in.
 */

const UNIT_SECONDS: Record<string, number> = { h: 3600, d: 86400, w: 7 * 86400 };

/** Seconds since the epoch for a `--since`/`--until` value, null for `all`, undefined when unreadable. */
export function parseTimeBound(value: string, nowSeconds: number): number | null | undefined {
  const text = value.trim();
  if (text === 'all') return null;
  const relative = /^(\d+)([hdw])$/.exec(text);
  if (relative)
    return nowSeconds - Number(relative[1]) * (UNIT_SECONDS[relative[2] as string] ?? 0);
  // Only ISO-looking dates: Date.parse accepts too much free text.
  if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(text))
    return undefined;
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text);
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
}
