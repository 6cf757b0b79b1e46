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
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw notJson(path, String(value));
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) {
        // undefined inside an array becomes null, as JSON.stringify does.
        return `[${value.map((v, i) => (v === undefined ? 'null' : canonicalJson(v, `${path}[${i}]`))).join(',')}]`;
      }
      if (!isPlainObject(value)) throw notJson(path, value.constructor?.name ?? 'object');
      const keys = Object.keys(value).sort();
      const parts: string[] = [];
      for (const key of keys) {
        const v = (value as Record<string, unknown>)[key];
        // Optional fields left undefined are simply absent, as in JSON.stringify.
        if (v === undefined) continue;
        parts.push(`${JSON.stringify(key)}:${canonicalJson(v, `${path}.${key}`)}`);
      }
      return `{${parts.join(',')}}`;
    }
    default:
      throw notJson(path, typeof value);
  }
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
