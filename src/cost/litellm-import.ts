/**
 * Reads a LiteLLM price map (model_prices_and_context_window.json: model name →
 * `{ input_cost_per_token, output_cost_per_token, cache_read_input_token_cost,
 * cache_creation_input_token_cost, litellm_provider, max_input_tokens, mode… }`,
 * costs in USD per token) into keel `models:` entries, per million tokens.
 * Pure: the caller reads the file and writes the result only when there are no
 * errors. Entries that are not chat models, or carry no per-token price, are
 * skipped and counted; malformed entries are errors located by their key.
 */
import { canonicalProvider } from './catalog.ts';
import type { ModelConfig } from './model-config.ts';
import { picoToRatePerMillion, ratePerTokenToPico } from './money.ts';

/** Modes priced per token that keel calls (LiteLLM also lists embeddings, images, audio…). */
const TEXT_MODES = new Set(['chat', 'completion', 'responses']);

/** Tier given to an imported model keel did not know: priced, but never routed to until set. */
export const UNASSIGNED_TIER = 'unassigned';

const COST_FIELDS = {
  input_cost_per_token: 'input',
  output_cost_per_token: 'output',
  cache_read_input_token_cost: 'cache_read',
  cache_creation_input_token_cost: 'cache_write',
  cache_creation_input_token_cost_above_1hr: 'cache_write_1h',
  output_cost_per_reasoning_token: 'reasoning',
} as const;

// Long-context rates: `input_cost_per_token_above_200k_tokens` and its siblings (128k for some models).
const LONG_FIELD =
  /^(input_cost_per_token|output_cost_per_token|cache_read_input_token_cost|cache_creation_input_token_cost)_above_(\d+)k_tokens$/;
const LONG_NAMES: Record<string, 'input' | 'output' | 'cache_read' | 'cache_write'> = {
  input_cost_per_token: 'input',
  output_cost_per_token: 'output',
  cache_read_input_token_cost: 'cache_read',
  cache_creation_input_token_cost: 'cache_write',
};

/** The lowest long-context threshold of an entry (thousands of tokens) and its fields. */
function longFields(
  spec: Record<string, unknown>,
): { above: number; fields: Record<string, string> } | undefined {
  let above: number | undefined;
  for (const key of Object.keys(spec)) {
    const m = LONG_FIELD.exec(key);
    if (m) above = Math.min(above ?? Number.POSITIVE_INFINITY, Number(m[2]));
  }
  if (above === undefined) return undefined;
  const fields: Record<string, string> = {};
  for (const [base, name] of Object.entries(LONG_NAMES))
    fields[`${base}_above_${above}k_tokens`] = name;
  return { above, fields };
}

export interface LiteLLMImportProblem {
  key: string;
  message: string;
}

export interface LiteLLMImportResult {
  models: ModelConfig[];
  errors: LiteLLMImportProblem[];
  skipped: LiteLLMImportProblem[];
}

export interface LiteLLMImportOptions {
  /** The effective date of every imported price (`YYYY-MM-DD`, today in UTC). */
  effective: string;
  source: string;
  /** Whether keel already knows this model (its tier then stays as it is). */
  isKnown: (provider: string, id: string) => boolean;
}

function perMillion(usdPerToken: number): number {
  return picoToRatePerMillion(ratePerTokenToPico(usdPerToken));
}

type Rates = Partial<Record<(typeof COST_FIELDS)[keyof typeof COST_FIELDS], number>>;

function readRates(
  key: string,
  spec: Record<string, unknown>,
  fields: Record<string, string>,
  errors: LiteLLMImportProblem[],
): Rates {
  const rates: Record<string, number> = {};
  for (const [field, name] of Object.entries(fields)) {
    const v = spec[field];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      errors.push({ key, message: `${field} is ${JSON.stringify(v)}, not a non-negative number` });
      continue;
    }
    rates[name] = perMillion(v);
  }
  return rates as Rates;
}

/** Converts a parsed LiteLLM map into `models:` entries, with errors and skips by key. */
export function importLiteLLM(map: unknown, options: LiteLLMImportOptions): LiteLLMImportResult {
  const result: LiteLLMImportResult = { models: [], errors: [], skipped: [] };
  if (typeof map !== 'object' || map === null || Array.isArray(map)) {
    result.errors.push({
      key: '(file)',
      message: 'a LiteLLM price map is a JSON object of models',
    });
    return result;
  }
  const seen = new Set<string>();
  for (const [key, value] of Object.entries(map)) {
    if (key === 'sample_spec') continue;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      result.errors.push({ key, message: 'is not an object' });
      continue;
    }
    const spec = value as Record<string, unknown>;
    const mode = spec.mode ?? 'chat';
    if (typeof mode !== 'string') {
      result.errors.push({ key, message: `mode is ${JSON.stringify(mode)}, not a string` });
      continue;
    }
    if (!TEXT_MODES.has(mode)) {
      result.skipped.push({ key, message: `mode ${mode} is not a text model` });
      continue;
    }
    if (typeof spec.litellm_provider !== 'string' || spec.litellm_provider === '') {
      result.errors.push({ key, message: 'litellm_provider is missing or not a string' });
      continue;
    }
    const errorsBefore = result.errors.length;
    const rates = readRates(key, spec, COST_FIELDS, result.errors);
    const lf = longFields(spec);
    const long = lf ? readRates(key, spec, lf.fields, result.errors) : {};
    // Not `max_tokens`: LiteLLM keeps it for compatibility, often as the output limit.
    const ctx = spec.max_input_tokens;
    if (ctx !== undefined && (typeof ctx !== 'number' || !Number.isSafeInteger(ctx) || ctx <= 0))
      result.errors.push({
        key,
        message: `max_input_tokens is ${JSON.stringify(ctx)}, not a positive integer`,
      });
    if (result.errors.length > errorsBefore) continue;
    if (rates.input === undefined || rates.output === undefined) {
      result.skipped.push({ key, message: 'no per-token input and output price' });
      continue;
    }
    const provider = canonicalProvider(spec.litellm_provider);
    const prefix = `${spec.litellm_provider.toLowerCase()}/`;
    const lower = key.toLowerCase();
    const id = lower.startsWith(prefix) ? lower.slice(prefix.length) : lower;
    if (seen.has(`${provider}/${id}`)) {
      result.skipped.push({ key, message: `duplicate of ${provider}/${id} listed earlier` });
      continue;
    }
    seen.add(`${provider}/${id}`);
    const entry: ModelConfig = {
      id,
      provider,
      ...(options.isKnown(provider, id) ? {} : { tier: UNASSIGNED_TIER }),
      ...(typeof ctx === 'number' ? { context_window: ctx } : {}),
      price: {
        input: rates.input,
        output: rates.output,
        ...(rates.cache_read !== undefined ? { cache_read: rates.cache_read } : {}),
        ...(rates.cache_write !== undefined ? { cache_write: rates.cache_write } : {}),
        ...(rates.cache_write_1h !== undefined ? { cache_write_1h: rates.cache_write_1h } : {}),
        ...(rates.reasoning !== undefined ? { reasoning: rates.reasoning } : {}),
        ...(lf && long.input !== undefined && long.output !== undefined
          ? {
              long_context: {
                above_tokens: lf.above * 1000,
                input: long.input,
                output: long.output,
                ...(long.cache_read !== undefined ? { cache_read: long.cache_read } : {}),
                ...(long.cache_write !== undefined ? { cache_write: long.cache_write } : {}),
              },
            }
          : {}),
      },
      effective: options.effective,
      source: options.source,
    };
    result.models.push(entry);
  }
  return result;
}
