/**
 * Provider usage objects turned into keel's TokenUsage (src/core/usage.ts):
 * uncached input apart from cache reads and writes, output including reasoning.
 *
 * - OpenAI (Chat Completions and Responses): cached tokens are inside the prompt
 *   count and reasoning tokens inside the completion count.
 * - Anthropic (Messages, and Claude Code's `usage`): input, cache reads and cache
 *   writes are already apart; `cache_creation` splits writes by 5-minute / 1-hour TTL.
 * - Google (Gemini `usageMetadata`): cached content is inside the prompt count;
 *   thoughts are reported apart from candidates and billed as output.
 */
import { InvalidInputError, type TokenUsage } from '../core/index.ts';

function count(value: unknown, provider: string, field: string): number {
  if (value === undefined || value === null) return 0;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new InvalidInputError(
      `${provider} usage field ${field} is ${JSON.stringify(value)}, not a non-negative integer`,
      { hint: 'pass the usage object exactly as the provider returned it' },
    );
  }
  return value;
}

function obj(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

function part(whole: number, inner: number, provider: string, what: string): number {
  if (inner > whole) {
    throw new InvalidInputError(`${provider} usage reports ${what}: ${inner} > ${whole}`, {
      hint: 'the usage object is inconsistent; check the adapter that produced it',
    });
  }
  return whole - inner;
}

/** OpenAI usage (Chat Completions `prompt_tokens…` or Responses `input_tokens…`). */
export function normaliseOpenAIUsage(raw: unknown): TokenUsage {
  const u = obj(raw);
  const responses = 'input_tokens' in u || 'output_tokens' in u;
  const prompt = count(responses ? u.input_tokens : u.prompt_tokens, 'OpenAI', 'prompt tokens');
  const completion = count(
    responses ? u.output_tokens : u.completion_tokens,
    'OpenAI',
    'completion tokens',
  );
  const inDetails = obj(responses ? u.input_tokens_details : u.prompt_tokens_details);
  const outDetails = obj(responses ? u.output_tokens_details : u.completion_tokens_details);
  const cached = count(inDetails.cached_tokens, 'OpenAI', 'cached_tokens');
  const reasoning = count(outDetails.reasoning_tokens, 'OpenAI', 'reasoning_tokens');
  part(completion, reasoning, 'OpenAI', 'more reasoning tokens than completion tokens');
  return {
    inputTokens: part(prompt, cached, 'OpenAI', 'more cached tokens than prompt tokens'),
    outputTokens: completion,
    cacheReadTokens: cached,
    // OpenAI caches automatically and bills no write premium.
    cacheWriteTokens: 0,
    reasoningTokens: reasoning,
  };
}

/** Anthropic usage (`input_tokens`, `cache_read_input_tokens`, `cache_creation_input_tokens`, `cache_creation`). */
export function normaliseAnthropicUsage(raw: unknown): TokenUsage {
  const u = obj(raw);
  const creation = obj(u.cache_creation);
  const fiveMinute = count(
    creation.ephemeral_5m_input_tokens,
    'Anthropic',
    'ephemeral_5m_input_tokens',
  );
  const oneHour = count(
    creation.ephemeral_1h_input_tokens,
    'Anthropic',
    'ephemeral_1h_input_tokens',
  );
  const reportedWrites = count(
    u.cache_creation_input_tokens,
    'Anthropic',
    'cache_creation_input_tokens',
  );
  // The TTL split, when it says anything, must account for every write; without one
  // (or an all-zero one from a proxy) every write is a 5-minute write.
  const split = fiveMinute + oneHour;
  const writes = Math.max(reportedWrites, split);
  if (split > 0 && reportedWrites > 0 && split !== reportedWrites) {
    throw new InvalidInputError(
      `Anthropic usage: cache_creation splits ${fiveMinute + oneHour} tokens but cache_creation_input_tokens is ${reportedWrites}`,
      { hint: 'the usage object is inconsistent; check the adapter that produced it' },
    );
  }
  const output = count(u.output_tokens, 'Anthropic', 'output_tokens');
  // Anthropic bills thinking inside output_tokens; a runtime that knows the split may pass it.
  const reasoning = count(u.reasoning_tokens, 'Anthropic', 'reasoning_tokens');
  part(output, reasoning, 'Anthropic', 'more reasoning tokens than output tokens');
  return {
    inputTokens: count(u.input_tokens, 'Anthropic', 'input_tokens'),
    outputTokens: output,
    cacheReadTokens: count(u.cache_read_input_tokens, 'Anthropic', 'cache_read_input_tokens'),
    cacheWriteTokens: writes,
    ...(oneHour > 0 ? { cacheWrite1hTokens: oneHour } : {}),
    reasoningTokens: reasoning,
  };
}

/** Google Gemini `usageMetadata` (`promptTokenCount`, `cachedContentTokenCount`, `thoughtsTokenCount`…). */
export function normaliseGoogleUsage(raw: unknown): TokenUsage {
  const u = obj(raw);
  const prompt =
    count(u.promptTokenCount, 'Google', 'promptTokenCount') +
    count(u.toolUsePromptTokenCount, 'Google', 'toolUsePromptTokenCount');
  const cached = count(u.cachedContentTokenCount, 'Google', 'cachedContentTokenCount');
  const thoughts = count(u.thoughtsTokenCount, 'Google', 'thoughtsTokenCount');
  const candidates = count(u.candidatesTokenCount, 'Google', 'candidatesTokenCount');
  return {
    inputTokens: part(prompt, cached, 'Google', 'more cached tokens than prompt tokens'),
    outputTokens: candidates + thoughts,
    cacheReadTokens: cached,
    cacheWriteTokens: 0,
    reasoningTokens: thoughts,
  };
}
