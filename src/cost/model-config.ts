/**
 * The `models:` list of .keel/keel.yaml and of the files under .keel/prices/:
 * validated at the edge into ModelOverride values, every problem reported with
 * the path of the offending field. Prices are USD per million tokens; a local
 * model may instead state amortised hardware cost per hour and its throughput.
 */
import { z } from 'zod';
import type { ModelOverride } from './catalog.ts';
import type { PriceOrigin, PriceRates } from './catalog-types.ts';

const rate = z.number().finite().nonnegative();
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)), 'is not a real calendar date');

const ratesSchema = z.strictObject({
  input: rate,
  output: rate,
  cache_read: rate.optional(),
  cache_write: rate.optional(),
  cache_write_1h: rate.optional(),
  reasoning: rate.optional(),
});

// One object rather than a union, so that a wrong field is reported by its own path.
const priceSchema = z
  .strictObject({
    input: rate.optional(),
    output: rate.optional(),
    cache_read: rate.optional(),
    cache_write: rate.optional(),
    cache_write_1h: rate.optional(),
    reasoning: rate.optional(),
    long_context: ratesSchema.extend({ above_tokens: z.number().int().positive() }).optional(),
    amortised: z
      .strictObject({ usd_per_hour: rate, tokens_per_hour: z.number().int().positive() })
      .optional(),
  })
  .superRefine((p, ctx) => {
    if (p.amortised) {
      const others = Object.keys(p).filter((k) => k !== 'amortised');
      if (others.length > 0)
        ctx.addIssue({
          code: 'custom',
          message: `amortised replaces per-token rates; remove ${others.join(', ')}`,
        });
      return;
    }
    for (const k of ['input', 'output'] as const)
      if (p[k] === undefined)
        ctx.addIssue({
          code: 'custom',
          path: [k],
          message: `is required (USD per million tokens; 0 for a free model)`,
        });
  });

/** One entry of a `models:` list. */
export const modelConfigSchema = z
  .strictObject({
    id: z.string().min(1),
    provider: z.string().min(1),
    aliases: z.array(z.string().min(1)).optional(),
    tier: z.string().min(1).optional(),
    context_window: z.number().int().positive().optional(),
    local: z.boolean().optional(),
    price: priceSchema.optional(),
    effective: day.optional(),
    source: z.string().optional(),
  })
  .superRefine((m, ctx) => {
    // A date with nothing to date would be silently ignored.
    if (m.effective !== undefined && m.price === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['effective'],
        message: 'dates a price, but the entry has no price',
      });
  });
export type ModelConfig = z.infer<typeof modelConfigSchema>;

/** A problem in a models list, located by the dotted path of the field. */
export interface ModelConfigProblem {
  path: string;
  message: string;
}

function toRates(r: z.infer<typeof ratesSchema>): PriceRates {
  return {
    input: r.input,
    output: r.output,
    ...(r.cache_read !== undefined ? { cacheRead: r.cache_read } : {}),
    ...(r.cache_write !== undefined ? { cacheWrite: r.cache_write } : {}),
    ...(r.cache_write_1h !== undefined ? { cacheWrite1h: r.cache_write_1h } : {}),
    ...(r.reasoning !== undefined ? { reasoning: r.reasoning } : {}),
  };
}

/** Converts one validated entry into an override of the catalog. */
export function toOverride(c: ModelConfig, origin: PriceOrigin, file: string): ModelOverride {
  const source = c.source ?? file;
  let price: ModelOverride['price'];
  if (c.price?.amortised) {
    // Hardware cost spread over the tokens it serves: every token costs the same.
    const perMillion = (c.price.amortised.usd_per_hour / c.price.amortised.tokens_per_hour) * 1e6;
    price = { rates: { input: perMillion, output: perMillion }, source: `${source} (amortised)` };
  } else if (c.price && c.price.input !== undefined && c.price.output !== undefined) {
    const lc = c.price.long_context;
    price = {
      rates: toRates({ ...c.price, input: c.price.input, output: c.price.output }),
      ...(lc ? { longContext: { aboveTokens: lc.above_tokens, rates: toRates(lc) } } : {}),
      source,
    };
  }
  if (price && c.effective) price.effective = c.effective;
  return {
    id: c.id,
    provider: c.provider,
    ...(c.aliases ? { aliases: c.aliases } : {}),
    ...(c.tier ? { tier: c.tier } : {}),
    ...(c.context_window ? { contextWindow: c.context_window } : {}),
    ...(c.local !== undefined ? { local: c.local } : {}),
    ...(price ? { price } : {}),
    origin,
  };
}

/** Validates a `models:` list; returns the overrides or every problem, never a partial list. */
export function parseModelList(
  raw: unknown,
  origin: PriceOrigin,
  file: string,
  basePath = 'models',
): { ok: true; overrides: ModelOverride[] } | { ok: false; problems: ModelConfigProblem[] } {
  if (raw === undefined || raw === null) return { ok: true, overrides: [] };
  if (!Array.isArray(raw))
    return { ok: false, problems: [{ path: basePath, message: 'must be a list of models' }] };
  const problems: ModelConfigProblem[] = [];
  const overrides: ModelOverride[] = [];
  raw.forEach((item, i) => {
    const parsed = modelConfigSchema.safeParse(item);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const sub = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`));
        problems.push({ path: `${basePath}[${i}]${sub.join('')}`, message: issue.message });
      }
      return;
    }
    overrides.push(toOverride(parsed.data, origin, file));
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, overrides };
}
