/**
 * Token usage of one model call, normalised across providers so that cost,
 * budgets and metrics never need to know a provider's reporting convention.
 *
 * Convention (Anthropic's, the most explicit): `inputTokens` are the uncached
 * prompt tokens only; cache reads and cache writes are counted apart and never
 * included in `inputTokens`. `outputTokens` includes `reasoningTokens` (reasoning
 * is billed as output); `reasoningTokens` is reported for visibility.
 * Adapters for OpenAI-style usage (cached tokens inside prompt tokens) subtract
 * the cached part when normalising.
 */
export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  /** Cache writes; `cacheWrite1hTokens` is the part written with a 1-hour TTL where known. */
  cacheWriteTokens: number;
  cacheWrite1hTokens?: number;
  reasoningTokens: number;
}

/** Usage with every count zero. */
export function emptyUsage(): TokenUsage {
  return {
    inputTokens: 0,
    outputTokens: 0,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    reasoningTokens: 0,
  };
}

/** Adds two usages field by field. */
export function addUsage(a: TokenUsage, b: TokenUsage): TokenUsage {
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cacheReadTokens: a.cacheReadTokens + b.cacheReadTokens,
    cacheWriteTokens: a.cacheWriteTokens + b.cacheWriteTokens,
    cacheWrite1hTokens: (a.cacheWrite1hTokens ?? 0) + (b.cacheWrite1hTokens ?? 0),
    reasoningTokens: a.reasoningTokens + b.reasoningTokens,
  };
}

/** Total tokens processed (prompt side including cache, plus output). */
export function totalTokens(u: TokenUsage): number {
  return u.inputTokens + u.cacheReadTokens + u.cacheWriteTokens + u.outputTokens;
}
