/** The pure retry decision: backoff with full jitter, retry-after, bounded attempts, broken responses once. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  AuthenticationError,
  backoffDelay,
  decideRetry,
  InvalidResponseError,
  type ModelCallError,
  ProviderUnavailableError,
  RateLimitedError,
  retryAfterMs,
  StructuredOutputError,
  TimeoutError,
} from '../../../src/runtimes/model-client/index.ts';

const who = { provider: 'anthropic', model: 'claude-sonnet-4-5' };
const policy = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 2000 };

describe('decideRetry', () => {
  it('never retries a failure that is not retryable', () => {
    const decision = decideRetry(new AuthenticationError('no', who), 1, [], policy, () => 0.5);
    assert.equal(decision.retry, false);
  });

  it('stops after the last allowed attempt', () => {
    const error = new ProviderUnavailableError('down', who);
    assert.equal(decideRetry(error, 4, [], policy, () => 0.5).retry, true);
    assert.deepEqual(
      decideRetry(error, 5, [], policy, () => 0.5),
      { retry: false, reason: 'all 5 attempts used' },
    );
  });

  it('waits exactly the retry-after of a 429, whatever the jitter', () => {
    const error = new RateLimitedError('slow down', { ...who, retryAfterMs: 1500 });
    assert.deepEqual(
      decideRetry(error, 1, [], policy, () => 0.99),
      { retry: true, delayMs: 1500 },
    );
  });

  it('gives a 429 back when its retry-after is longer than the maximum delay', () => {
    const error = new RateLimitedError('slow down', { ...who, retryAfterMs: 60_000 });
    assert.equal(decideRetry(error, 1, [], policy, () => 0.5).retry, false);
  });

  it('falls back to backoff for a 429 without retry-after', () => {
    const error = new RateLimitedError('slow down', { ...who, retryAfterMs: undefined });
    assert.deepEqual(
      decideRetry(error, 3, [], policy, () => 0.5),
      { retry: true, delayMs: 200 },
    );
  });

  it('retries a broken response once, not twice', () => {
    const first = new InvalidResponseError('cut off', who);
    assert.equal(decideRetry(first, 1, [], policy, () => 0).retry, true);
    const second = new InvalidResponseError('cut off again', who);
    assert.equal(decideRetry(second, 2, [first], policy, () => 0).retry, false);
    // Another kind of failure in between does not reset the count.
    assert.equal(
      decideRetry(
        second,
        3,
        [first, new TimeoutError('slow', { ...who, timeoutMs: 5 })],
        policy,
        () => 0,
      ).retry,
      false,
    );
  });

  it('retries an answer off the schema like any transient failure', () => {
    const error = new StructuredOutputError('off schema', { ...who, text: 'nope' });
    assert.equal(decideRetry(error, 1, [error], policy, () => 0).retry, true);
  });
});

describe('backoffDelay', () => {
  it('doubles the ceiling each attempt up to the maximum', () => {
    const top = () => 0.999999;
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, policy, top)),
      [99, 199, 399, 799, 1599, 1999],
    );
  });

  it('is zero when the random source gives zero (full jitter)', () => {
    assert.equal(
      backoffDelay(4, policy, () => 0),
      0,
    );
  });

  it('always lies in [0, min(maxDelay, base * 2^(attempt-1)))', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 1, max: 100_000 }),
        (attempt, r, baseDelayMs, maxDelayMs) => {
          const p = { maxAttempts: 10, baseDelayMs, maxDelayMs };
          const delay = backoffDelay(attempt, p, () => r);
          const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
          return Number.isInteger(delay) && delay >= 0 && delay < Math.max(1, ceiling);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('retryAfterMs', () => {
  it('prefers OpenAI retry-after-ms', () => {
    assert.equal(retryAfterMs({ 'retry-after-ms': '250', 'retry-after': '1' }), 250);
  });

  it('reads retry-after in seconds, fractional or whole', () => {
    assert.equal(retryAfterMs({ 'retry-after': '2' }), 2000);
    assert.equal(retryAfterMs({ 'retry-after': '0.5' }), 500);
  });

  it('reads retry-after as an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    assert.equal(retryAfterMs({ 'retry-after': 'Thu, 01 Jan 2026 00:00:30 GMT' }, now), 30_000);
  });

  it('is undefined when the header is absent or unreadable', () => {
    assert.equal(retryAfterMs({}), undefined);
    assert.equal(retryAfterMs({ 'retry-after': 'soon' }), undefined);
    assert.equal(retryAfterMs(undefined), undefined);
  });
});

describe('the failure hierarchy', () => {
  it('marks transient failures retryable and caller mistakes not', () => {
    const errors: [ModelCallError, boolean][] = [
      [new RateLimitedError('x', { ...who, retryAfterMs: 1 }), true],
      [new ProviderUnavailableError('x', who), true],
      [new TimeoutError('x', { ...who, timeoutMs: 1 }), true],
      [new InvalidResponseError('x', who), true],
      [new AuthenticationError('x', who), false],
    ];
    for (const [error, retryable] of errors) {
      assert.equal(error.retryable, retryable, error.name);
      assert.match(error.message, /^anthropic\/claude-sonnet-4-5: /);
      assert.ok(error.hint);
    }
  });
});
