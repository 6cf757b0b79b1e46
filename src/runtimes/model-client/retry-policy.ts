/**
 * keel's retry decision for model calls, as a pure function: exponential
 * backoff with full jitter, honouring the provider's `retry-after`, bounded in
 * attempts and delay. The random source is injected so tests can pin it.
 */
import { InvalidResponseError, type ModelCallError, RateLimitedError } from './errors.ts';

export interface RetryPolicy {
  /** Total attempts including the first; 1 means never retry. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 4,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
};

export type RetryDecision = { retry: true; delayMs: number } | { retry: false; reason: string };

/**
 * Decides whether to retry after `attempt` (1-based) failed with `error`;
 * `previous` are the failures of the earlier attempts of the same call.
 */
export function decideRetry(
  error: ModelCallError,
  attempt: number,
  previous: readonly ModelCallError[],
  policy: RetryPolicy,
  random: () => number,
): RetryDecision {
  if (!error.retryable) return { retry: false, reason: `${error.name} is not retryable` };
  if (attempt >= policy.maxAttempts)
    return { retry: false, reason: `all ${policy.maxAttempts} attempts used` };
  // A broken response is retried once: twice in a row points at a systematic problem.
  if (
    error instanceof InvalidResponseError &&
    previous.some((e) => e instanceof InvalidResponseError)
  ) {
    return { retry: false, reason: 'the response was broken twice' };
  }
  if (error instanceof RateLimitedError && error.retryAfterMs !== undefined) {
    // The provider said when; waiting longer than we allow means giving the work back to the scheduler.
    if (error.retryAfterMs > policy.maxDelayMs) {
      return {
        retry: false,
        reason: `retry-after ${error.retryAfterMs} ms exceeds the ${policy.maxDelayMs} ms limit`,
      };
    }
    return { retry: true, delayMs: Math.max(0, Math.round(error.retryAfterMs)) };
  }
  return { retry: true, delayMs: backoffDelay(attempt, policy, random) };
}

/** Full-jitter backoff: uniform in [0, min(maxDelay, base * 2^(attempt-1))). */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}
