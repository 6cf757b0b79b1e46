/**
 * Turns the AI SDK's usage report into keel's `TokenUsage`. The SDK already
 * splits OpenAI's `prompt_tokens` (cached tokens included) and Anthropic's
 * `input_tokens` (cache counted apart) into no-cache / cache-read / cache-write
 * parts; when a provider leaves the split out, cached tokens are subtracted
 * from the input total here so that `inputTokens` never counts them twice.
 */
import type { LanguageModelUsage } from 'ai';
import type { TokenUsage } from '../../core/index.ts';

/** keel's normalised usage from an AI SDK usage report. */
export function normalizeUsage(usage: LanguageModelUsage | undefined): TokenUsage {
  const cacheRead = usage?.inputTokenDetails?.cacheReadTokens ?? 0;
  const cacheWrite = usage?.inputTokenDetails?.cacheWriteTokens ?? 0;
  const input =
    usage?.inputTokenDetails?.noCacheTokens ??
    Math.max(0, (usage?.inputTokens ?? 0) - cacheRead - cacheWrite);
  const result: TokenUsage = {
    inputTokens: input,
    outputTokens: usage?.outputTokens ?? 0,
    cacheReadTokens: cacheRead,
    cacheWriteTokens: cacheWrite,
    reasoningTokens: usage?.outputTokenDetails?.reasoningTokens ?? 0,
  };
  const oneHour = anthropicOneHourWrites(usage?.raw);
  if (oneHour !== undefined) result.cacheWrite1hTokens = oneHour;
  return result;
}

/** Anthropic splits cache writes by TTL in `cache_creation`; the 1-hour part costs more. */
function anthropicOneHourWrites(raw: unknown): number | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const creation = (raw as Record<string, unknown>).cache_creation;
  if (!creation || typeof creation !== 'object') return undefined;
  const value = (creation as Record<string, unknown>).ephemeral_1h_input_tokens;
  return typeof value === 'number' ? value : undefined;
}
