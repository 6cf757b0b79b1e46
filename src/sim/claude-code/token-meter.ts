/**
 * Realistic token figures for the fakes. A coding agent resends its whole
 * context on every model call: a large system prompt and tool definitions,
 * then the growing conversation. Providers cache that prefix, so most input
 * tokens of a long run are cache reads. Counts follow the ~4 characters per
 * token rule of thumb.
 */

/** Tokens a text costs, roughly. */
export function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

/** System prompt and tool definitions of each CLI, in tokens (orders of magnitude seen in practice). */
export const BASE_CONTEXT_TOKENS = { 'claude-code': 14_200, codex: 9_800 } as const;

/** One Anthropic-style call: uncached input, cache write, cache read, output. */
export interface ClaudeCallUsage {
  input_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  output_tokens: number;
}

/**
 * The usage of the next Claude call: everything already in context is read
 * from cache, the new part is written to it, and a few tokens after the last
 * cache breakpoint are billed as plain input.
 */
export function claudeCall(
  contextTokens: number,
  newTokens: number,
  outputTokens: number,
): ClaudeCallUsage {
  return {
    input_tokens: 3 + (newTokens % 7),
    cache_creation_input_tokens: newTokens,
    cache_read_input_tokens: contextTokens,
    output_tokens: outputTokens,
  };
}

/** One OpenAI-style call: `input_tokens` includes the cached prefix. */
export interface CodexCallUsage {
  input_tokens: number;
  cached_input_tokens: number;
  output_tokens: number;
  reasoning_output_tokens: number;
}

/** The usage of the next Codex call; OpenAI caches whole 128-token blocks past the first 1,024. */
export function codexCall(
  contextTokens: number,
  newTokens: number,
  outputTokens: number,
  reasoningTokens: number,
): CodexCallUsage {
  const cached = contextTokens >= 1024 ? Math.floor(contextTokens / 128) * 128 : 0;
  return {
    input_tokens: contextTokens + newTokens,
    cached_input_tokens: cached,
    output_tokens: outputTokens + reasoningTokens,
    reasoning_output_tokens: reasoningTokens,
  };
}

/** Published per-million-token prices of the models the Claude fake reports cost for. */
const CLAUDE_PRICES: Readonly<Record<string, readonly [number, number, number, number]>> = {
  // [input, output, cache write (5 min), cache read]
  opus: [15, 75, 18.75, 1.5],
  'opus-4-5': [5, 25, 6.25, 0.5],
  sonnet: [3, 15, 3.75, 0.3],
  haiku: [1, 5, 1.25, 0.1],
};

/** The cost Claude Code would report for this usage of `model`. */
export function claudeCostUsd(model: string, u: ClaudeCallUsage): number {
  const family = /opus-4-5/.test(model)
    ? 'opus-4-5'
    : /opus/.test(model)
      ? 'opus'
      : /haiku/.test(model)
        ? 'haiku'
        : 'sonnet';
  const [input, output, write, read] = CLAUDE_PRICES[family] as readonly [
    number,
    number,
    number,
    number,
  ];
  return (
    (u.input_tokens * input +
      u.output_tokens * output +
      u.cache_creation_input_tokens * write +
      u.cache_read_input_tokens * read) /
    1_000_000
  );
}
