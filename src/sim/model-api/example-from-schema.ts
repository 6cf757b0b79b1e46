/**
 * Builds a small, deterministic value that satisfies a JSON Schema, so the
 * wind tunnel's default answer to a structured-output request is valid
 * without a scenario having to spell one out.
 */

type Schema = Record<string, unknown>;

/** A value valid against the common JSON Schema subset that zod and the AI SDK emit. */
export function exampleFromSchema(schema: unknown, root: unknown = schema, depth = 0): unknown {
  if (!schema || typeof schema !== 'object' || depth > 12) return null;
  const s = schema as Schema;
  if (typeof s.$ref === 'string')
    return exampleFromSchema(resolveRef(root, s.$ref), root, depth + 1);
  if ('const' in s) return s.const;
  if (Array.isArray(s.enum) && s.enum.length > 0) return s.enum[0];
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    const options = s[key];
    if (Array.isArray(options) && options.length > 0) {
      const firstNonNull = options.find((o) => (o as Schema)?.type !== 'null') ?? options[0];
      return exampleFromSchema(firstNonNull, root, depth + 1);
    }
  }
  const type = Array.isArray(s.type) ? (s.type.find((t) => t !== 'null') ?? s.type[0]) : s.type;
  switch (type) {
    case 'object': {
      const properties = (s.properties ?? {}) as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const [name, sub] of Object.entries(properties)) {
        out[name] = exampleFromSchema(sub, root, depth + 1);
      }
      return out;
    }
    case 'array': {
      const count = Math.max(1, typeof s.minItems === 'number' ? s.minItems : 1);
      const items = Array.isArray(s.prefixItems) ? s.prefixItems : undefined;
      if (items) return items.map((i) => exampleFromSchema(i, root, depth + 1));
      return Array.from({ length: count }, () => exampleFromSchema(s.items, root, depth + 1));
    }
    case 'string':
      return exampleString(s);
    case 'integer':
    case 'number': {
      const min =
        typeof s.minimum === 'number'
          ? s.minimum
          : typeof s.exclusiveMinimum === 'number'
            ? s.exclusiveMinimum + 1
            : 0;
      return type === 'integer' ? Math.ceil(min) : min;
    }
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return {};
  }
}

function exampleString(s: Schema): string {
  switch (s.format) {
    case 'date-time':
      return '2026-01-01T00:00:00Z';
    case 'date':
      return '2026-01-01';
    case 'email':
      return 'someone@example.com';
    case 'uri':
    case 'url':
      return 'https://example.com';
    case 'uuid':
      return '00000000-0000-4000-8000-000000000000';
    default: {
      const min = typeof s.minLength === 'number' ? s.minLength : 0;
      return 'example'.padEnd(min, 'x');
    }
  }
}

function resolveRef(root: unknown, ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = root;
  for (const part of ref.slice(2).split('/')) {
    if (!node || typeof node !== 'object') return undefined;
    node = (node as Schema)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return node;
}
