/** Each fault the wind tunnel injects becomes the right typed error, and keel retries what is retryable. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AuthenticationError,
  BadRequestError,
  CancelledError,
  callModel,
  InvalidResponseError,
  type ModelCallError,
  ProviderUnavailableError,
  RateLimitedError,
  TimeoutError,
} from '../../../src/runtimes/model-client/index.ts';
import { ENV, MODELS, PROVIDERS, useSim } from './sim-harness.ts';

/** Rules answering `agent` with `replies` in turn; one sequence per provider and streaming mode. */
const sequence = (agent: string, replies: unknown[]) =>
  PROVIDERS.flatMap((kind) =>
    [false, true].map((stream) => ({
      name: `${agent}-${kind}-${stream}`,
      match: { agent, provider: kind, stream },
      replies,
    })),
  );

const { sim, provider } = useSim({
  rules: [
    ...sequence('rate-limited', [
      { fault: 'rate-limit', retryAfterSeconds: 0.04 },
      { text: 'after the wait' },
    ]),
    ...sequence('server-error', [{ fault: 'server-error' }, { text: 'recovered' }]),
    ...sequence('overloaded', [
      { fault: 'overloaded' },
      { fault: 'overloaded' },
      { text: 'finally' },
    ]),
    ...sequence('always-down', [{ fault: 'server-error' }]),
    ...sequence('hangs', [{ fault: 'timeout' }, { text: 'answered in time' }]),
    ...sequence('malformed', [
      { fault: 'malformed-json', text: 'a reply long enough to be cut in half' },
      { text: 'clean' },
    ]),
    ...sequence('always-malformed', [
      { fault: 'malformed-json', text: 'a reply long enough to be cut in half' },
    ]),
    ...sequence('truncated', [
      {
        fault: 'truncated-stream',
        afterChunks: 2,
        text: 'one two three four five six seven eight',
      },
      { text: 'whole' },
    ]),
    ...sequence('slow', [{ text: 'slow but complete answer', chunkDelayMs: 15, chunkChars: 5 }]),
    ...sequence('denied', [{ fault: 'unauthorized' }]),
    ...sequence('bad', [{ fault: 'bad-request', message: 'max_tokens: must be positive' }]),
    ...sequence('rate-limited-long', [{ fault: 'rate-limit', retryAfterSeconds: 120 }]),
    ...sequence('slow-to-answer', [{ text: 'late', delayMs: 2000 }]),
    ...sequence('hangs-forever', [{ fault: 'timeout' }]),
    ...sequence('stalls', [
      { fault: 'stall', afterChunks: 1, text: 'an answer that stops after its first piece' },
      { text: 'flowing again' },
    ]),
    ...sequence('fails-midway', [
      {
        fault: 'stream-error',
        afterChunks: 1,
        text: 'an answer that breaks off after its first piece',
      },
      { text: 'second time lucky' },
    ]),
  ],
});

const fastRetry = { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 1000 };

for (const kind of PROVIDERS) {
  for (const stream of [false, true]) {
    describe(`faults with ${kind} (${stream ? 'streaming' : 'non-streaming'})`, () => {
      const call = (agent: string, extra: Record<string, unknown> = {}) =>
        callModel({
          provider: provider(kind),
          model: MODELS[kind],
          env: ENV,
          prompt: 'go',
          stream,
          timeoutMs: 3000,
          retry: fastRetry,
          random: () => 0.5,
          headers: { 'x-keel-agent': agent },
          ...extra,
        });
      const rejectsWith = async (
        promise: Promise<unknown>,
        type: abstract new (...args: never[]) => ModelCallError,
      ) => {
        let caught: unknown;
        await promise.catch((e: unknown) => {
          caught = e;
        });
        assert.ok(caught instanceof type, `expected ${type.name}, got ${String(caught)}`);
        return caught as ModelCallError;
      };

      it('waits exactly the retry-after the 429 asks for, then succeeds', async () => {
        const retries: ModelCallError[] = [];
        const result = await call('rate-limited', {
          onRetry: (e: { error: ModelCallError }) => retries.push(e.error),
        });
        assert.equal(result.text, 'after the wait');
        assert.ok(retries[0] instanceof RateLimitedError);
        assert.equal((retries[0] as RateLimitedError).retryAfterMs, 40);
        assert.deepEqual(
          result.attempts.map((a) => [a.status, a.error, a.delayMs]),
          [
            [429, 'RateLimitedError', 40],
            [200, undefined, 0],
          ],
        );
      });

      it('retries a 500 with jittered backoff and succeeds', async () => {
        const result = await call('server-error');
        assert.equal(result.text, 'recovered');
        // random() = 0.5 of a 5 ms base on the first retry.
        assert.deepEqual(
          result.attempts.map((a) => [a.status, a.error, a.delayMs]),
          [
            [500, 'ProviderUnavailableError', 2],
            [200, undefined, 0],
          ],
        );
      });

      it('retries an overloaded provider twice with growing backoff', async () => {
        const result = await call('overloaded');
        assert.equal(result.text, 'finally');
        assert.deepEqual(
          result.attempts.map((a) => [a.status, a.delayMs]),
          [
            [kind === 'anthropic' ? 529 : 503, 2],
            [kind === 'anthropic' ? 529 : 503, 5],
            [200, 0],
          ],
        );
      });

      it('gives up with ProviderUnavailableError after the last attempt', async () => {
        const error = await rejectsWith(call('always-down'), ProviderUnavailableError);
        assert.equal(error.attempts.length, fastRetry.maxAttempts);
        assert.equal(error.status, 500);
        assert.equal(error.attempts.at(-1)?.delayMs, 0);
      });

      it('times out an attempt that never answers and retries it', async () => {
        const result = await call('hangs', { timeoutMs: 150 });
        assert.equal(result.text, 'answered in time');
        assert.equal(result.attempts[0]?.error, 'TimeoutError');
      });

      it('reports TimeoutError when every attempt is too slow', async () => {
        const error = await rejectsWith(
          call('slow-to-answer', { timeoutMs: 60, retry: { ...fastRetry, maxAttempts: 2 } }),
          TimeoutError,
        );
        assert.equal(error.attempts.length, 2);
        assert.equal((error as TimeoutError).timeoutMs, 60);
      });

      it('retries a malformed JSON response once and succeeds', async () => {
        const result = await call('malformed');
        assert.equal(result.text, 'clean');
        assert.equal(result.attempts[0]?.error, 'InvalidResponseError');
      });

      it('retries a malformed response only once', async () => {
        const error = await rejectsWith(call('always-malformed'), InvalidResponseError);
        assert.equal(error.attempts.length, 2);
      });

      it('treats a response cut off mid-way as an invalid response and retries it', async () => {
        const result = await call('truncated');
        assert.equal(result.text, 'whole');
        assert.equal(result.attempts[0]?.error, 'InvalidResponseError');
        assert.equal(result.attempts[0]?.status, 200);
      });

      it('retries a provider error in the middle of the stream (an overloaded response when not streaming)', async () => {
        const result = await call('fails-midway');
        assert.equal(result.text, 'second time lucky');
        assert.equal(result.attempts[0]?.error, 'ProviderUnavailableError');
        if (!stream) assert.equal(result.attempts[0]?.status, kind === 'anthropic' ? 529 : 503);
      });

      it('notices a stalled response and retries it', async () => {
        // Streaming: the idle limit between events fires; otherwise the whole attempt's limit does.
        const result = await call(
          'stalls',
          stream ? { idleTimeoutMs: 100, timeoutMs: 60_000 } : { timeoutMs: 150 },
        );
        assert.equal(result.text, 'flowing again');
        assert.equal(result.attempts[0]?.error, 'TimeoutError');
        assert.match(
          result.attempts[0]?.message ?? '',
          stream ? /the stream stalled: no data for 100 ms/ : /within 150 ms/,
        );
      });

      it('completes a slow stream', async () => {
        const deltas: string[] = [];
        const result = await call('slow', { onTextDelta: (d: string) => deltas.push(d) });
        assert.equal(result.text, 'slow but complete answer');
        assert.equal(result.attempts.length, 1);
        if (stream) assert.ok(deltas.length >= 4);
      });

      it('does not retry refused credentials', async () => {
        const error = await rejectsWith(call('denied'), AuthenticationError);
        assert.equal(error.attempts.length, 1);
        assert.equal(error.status, 401);
      });

      it('does not retry a bad request and keeps the provider message', async () => {
        const error = await rejectsWith(call('bad'), BadRequestError);
        assert.equal(error.attempts.length, 1);
        assert.match(error.message, /max_tokens: must be positive/);
      });

      it('gives a 429 back instead of waiting longer than the maximum delay', async () => {
        const error = await rejectsWith(call('rate-limited-long'), RateLimitedError);
        assert.equal((error as RateLimitedError).retryAfterMs, 120_000);
        assert.equal(error.attempts.length, 1);
      });

      it('stops with CancelledError when the caller aborts', async () => {
        const controller = new AbortController();
        const pending = call('hangs-forever', { signal: controller.signal });
        setTimeout(() => controller.abort(), 30);
        const error = await rejectsWith(pending, CancelledError);
        assert.equal(error.retryable, false);
      });
    });
  }
}

describe('the recorded requests', () => {
  it('show every retry the client made, attempt by attempt', () => {
    const rateLimited = sim().requests.filter((r) => r.agent === 'rate-limited');
    assert.deepEqual(
      rateLimited.map(
        (r) => `${r.provider} ${r.stream ? 'stream' : 'once'} ${r.status} ${r.outcome}`,
      ),
      PROVIDERS.flatMap((kind) =>
        ['once', 'stream'].flatMap((mode) => [
          `${kind} ${mode} 429 rate-limit`,
          `${kind} ${mode} 200 answered`,
        ]),
      ),
    );
  });
});
