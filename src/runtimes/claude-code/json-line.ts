/** Reading one JSONL line, and the loose field accessors both CLI parsers use. */

export type JsonObject = Record<string, unknown>;

/** Parses a line as a JSON object; `undefined` when it is not one. */
export function parseJsonObject(line: string): JsonObject | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** True for plain JSON objects (not arrays, not null). */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A finite non-negative count, or 0 when the field is absent or not a number. */
export function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0;
}

/** A string field, or `undefined`. */
export function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Shortens text for an error message. */
export function excerpt(line: string, max = 120): string {
  return line.length <= max ? line : `${line.slice(0, max)}…`;
}

/** Classifies provider failure text that a CLI surfaces as a plain message. */
export function classifyErrorText(message: string): 'auth' | 'rate_limit' | undefined {
  if (
    /invalid api key|please run \/login|not logged in|authentication|unauthori[sz]ed|\b401\b|oauth token/i.test(
      message,
    )
  )
    return 'auth';
  if (/rate.?limit|\b429\b|usage limit|too many requests|quota/i.test(message)) return 'rate_limit';
  return undefined;
}
