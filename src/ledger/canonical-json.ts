/**
 * Canonical JSON: object keys sorted by code point, no whitespace, so the same
 * value always serialises to the same bytes on every dialect and platform. The
 * ledger hashes this form, and stores `data` in it.
 */
import { InvalidInputError } from '../core/index.ts';

/** A JSON value as the ledger accepts it. */
export type JsonValue =
  | null
  | boolean
  | number
  | string
  | JsonValue[]
  | { [key: string]: JsonValue };

/** Serialises a JSON value canonically; throws naming the path of anything that is not JSON. */
export function canonicalJson(value: unknown, path = '$'): string {
  try {
    return encode(value);
  } catch (error) {
    if (!(error instanceof NotJson)) throw error;
    // Rare: walk again, slowly, to say where the offending value is.
    locate(value, path);
    throw error;
  }
}

class NotJson extends Error {}

// The hot path (every append and every verified event): no path strings.
function encode(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new NotJson();
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) {
        // undefined inside an array becomes null, as JSON.stringify does.
        let out = '[';
        for (let i = 0; i < value.length; i++) {
          if (i > 0) out += ',';
          const v = value[i];
          out += v === undefined ? 'null' : encode(v);
        }
        return `${out}]`;
      }
      if (!isPlainObject(value)) throw new NotJson();
      const keys = Object.keys(value).sort();
      let out = '{';
      let first = true;
      for (const key of keys) {
        const v = value[key];
        // Optional fields left undefined are simply absent, as in JSON.stringify.
        if (v === undefined) continue;
        out += `${first ? '' : ','}${JSON.stringify(key)}:${encode(v)}`;
        first = false;
      }
      return `${out}}`;
    }
    default:
      throw new NotJson();
  }
}

function locate(value: unknown, path: string): void {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw notJson(path, String(value));
    return;
  }
  if (typeof value !== 'object') throw notJson(path, typeof value);
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      if (v !== undefined) locate(v, `${path}[${i}]`);
    });
    return;
  }
  if (!isPlainObject(value)) throw notJson(path, value.constructor?.name ?? 'object');
  for (const [key, v] of Object.entries(value)) if (v !== undefined) locate(v, `${path}.${key}`);
}

/** True for `{}`-style objects (no class instances such as Date or Map). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function notJson(path: string, what: string): InvalidInputError {
  return new InvalidInputError(`ledger event data at ${path} is not JSON (${what})`, {
    hint: 'event data may hold only objects, arrays, strings, finite numbers, booleans and null',
  });
}
