/** callModel against the real wind tunnel over HTTP: text, streaming, usage normalisation, structured output. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import {
  callModel,
  keelHeaders,
  StructuredOutputError,
} from '../../../src/runtimes/model-client/index.ts';
import { ENV, MODELS, PROVIDERS, useSim } from './sim-harness.ts';

const verdict = z.object({ verdict: z.enum(['approve', 'reject']), reasons: z.array(z.string()) });

const { sim, provider } = useSim({
  rules: [
    {
      name: 'usage-with-cache',
      match: { content: '^count my tokens$' },
      reply: {
        text: 'counted',
        usage: { input: 120, cacheRead: 800, cacheWrite: 40, output: 90, reasoning: 30 },
      },
    },
    {
      name: 'review',
      match: { agent: 'reviewer', pass: 'review' },
      reply: { json: { verdict: 'approve', reasons: ['tests pass'] } },
    },
    // One sequence per provider: a rule's call count is shared by every request it matches.
    ...PROVIDERS.map((kind) => ({
      name: `flaky-json-${kind}`,
      match: { agent: 'flaky', provider: kind },
      replies: [
        { text: 'Sure! Here is my verdict: approve' },
        { json: { verdict: 'reject', reasons: ['too big'] } },
      ],
    })),
    { name: 'never-valid', match: { agent: 'stubborn' }, reply: { json: { verdict: 'maybe' } } },
    {
      name: 'long',
      match: { content: '^tell me a story$' },
      reply: { text: 'Once upon a time a keel kept a boat steady through a storm.', chunkChars: 8 },
    },
  ],
});

for (const kind of PROVIDERS) {
  describe(`callModel with ${kind}`, () => {
    const base = () => ({
      provider: provider(kind),
      model: MODELS[kind],
      env: ENV,
      timeoutMs: 5000,
    });

    it('returns the text, the provider response id and one successful attempt', async () => {
      const result = await callModel({
        ...base(),
        system: 'You are terse.',
        prompt: 'tell me a story',
      });
      assert.equal(result.text, 'Once upon a time a keel kept a boat steady through a storm.');
      assert.equal(result.finishReason, 'stop');
      assert.match(
        result.providerResponseId ?? '',
        kind === 'openai' ? /^chatcmpl-sim\d+$/ : /^msg_sim\d+$/,
      );
      assert.equal(result.attempts.length, 1);
      assert.equal(result.attempts[0]?.error, undefined);
      assert.equal(result.attempts[0]?.status, 200);
    });

    it('streams the same text in several deltas when asked to stream', async () => {
      const deltas: string[] = [];
      const result = await callModel({
        ...base(),
        prompt: 'tell me a story',
        stream: true,
        onTextDelta: (d) => deltas.push(d),
      });
      assert.equal(result.text, 'Once upon a time a keel kept a boat steady through a storm.');
      assert.ok(deltas.length > 3, `expected several deltas, got ${deltas.length}`);
      assert.equal(deltas.join(''), result.text);
      assert.equal(sim().requests.at(-1)?.stream, true);
    });

    for (const stream of [false, true]) {
      it(`normalises usage so cache reads and writes are not counted as input (${stream ? 'streaming' : 'non-streaming'})`, async () => {
        const result = await callModel({ ...base(), prompt: 'count my tokens', stream });
        const { cacheWrite1hTokens: _, ...usage } = result.usage;
        // OpenAI reports no cache writes: the wind tunnel folds them into plain prompt tokens there.
        const expected =
          kind === 'anthropic'
            ? { inputTokens: 120, cacheReadTokens: 800, cacheWriteTokens: 40 }
            : { inputTokens: 160, cacheReadTokens: 800, cacheWriteTokens: 0 };
        assert.deepEqual(usage, { ...expected, outputTokens: 90, reasoningTokens: 30 });
        assert.deepEqual(sim().requests.at(-1)?.usage, {
          input: 120,
          cacheRead: 800,
          cacheWrite: 40,
          output: 90,
          reasoning: 30,
        });
      });
    }

    it('gives realistic default usage computed from the prompt length when the scenario sets none', async () => {
      const short = await callModel({ ...base(), prompt: 'hi' });
      const long = await callModel({ ...base(), prompt: 'hi '.repeat(400) });
      assert.ok(short.usage.inputTokens > 0);
      assert.ok(long.usage.inputTokens > short.usage.inputTokens + 200);
      assert.ok(long.usage.outputTokens > 0);
    });

    for (const stream of [false, true]) {
      it(`parses structured output against the schema, matched by the x-keel headers (${stream ? 'streaming' : 'non-streaming'})`, async () => {
        const result = await callModel({
          ...base(),
          prompt: 'review the change',
          schema: verdict,
          stream,
          headers: keelHeaders({ agent: 'reviewer', pass: 'review', attempt: 1, workItem: 'WI-3' }),
        });
        assert.deepEqual(result.object, { verdict: 'approve', reasons: ['tests pass'] });
        const seen = sim().requests.at(-1);
        assert.equal(seen?.rule, 'review');
        assert.equal(seen?.structured, true);
        assert.deepEqual(
          [seen?.agent, seen?.pass, seen?.attempt, seen?.workItem],
          ['reviewer', 'review', 1, 'WI-3'],
        );
      });
    }

    it('asks again when the structured answer is invalid and returns the valid one', async () => {
      const retries: string[] = [];
      const result = await callModel({
        ...base(),
        prompt: 'review',
        schema: verdict,
        headers: { 'x-keel-agent': 'flaky' },
        retry: { baseDelayMs: 1 },
        onRetry: (e) => retries.push(e.error.name),
      });
      assert.deepEqual(result.object, { verdict: 'reject', reasons: ['too big'] });
      assert.deepEqual(retries, ['StructuredOutputError']);
      assert.deepEqual(
        result.attempts.map((a) => a.error),
        ['StructuredOutputError', undefined],
      );
      // The failed attempt's tokens count in the total.
      assert.ok(result.totalUsage.outputTokens > result.usage.outputTokens);
    });

    it('fails with StructuredOutputError carrying the raw text when the answer never fits the schema', async () => {
      await assert.rejects(
        callModel({
          ...base(),
          prompt: 'review',
          schema: verdict,
          headers: { 'x-keel-agent': 'stubborn' },
          retry: { maxAttempts: 3, baseDelayMs: 1 },
        }),
        (error: unknown) => {
          assert.ok(error instanceof StructuredOutputError);
          assert.match(error.text ?? '', /"verdict":"maybe"/);
          assert.equal(error.attempts.length, 3);
          return true;
        },
      );
    });

    it('answers structured output with a schema-valid default object when no rule matches', async () => {
      const result = await callModel({ ...base(), prompt: 'anything', schema: verdict });
      assert.deepEqual(result.object, { verdict: 'approve', reasons: ['example'] });
    });
  });
}

describe('callModel structured output through the forced json tool', () => {
  it('reads the object from the tool call for Anthropic models without native structured output', async () => {
    const result = await callModel({
      provider: provider('anthropic'),
      model: 'claude-3-haiku-20240307',
      env: ENV,
      timeoutMs: 5000,
      prompt: 'review',
      schema: verdict,
      headers: { 'x-keel-agent': 'reviewer', 'x-keel-pass': 'review' },
    });
    assert.deepEqual(result.object, { verdict: 'approve', reasons: ['tests pass'] });
    const body = sim().requests.at(-1)?.body as {
      tools?: { name: string }[];
      tool_choice?: { type: string };
    };
    assert.deepEqual(
      body.tools?.map((t) => t.name),
      ['json'],
    );
    assert.equal(body.tool_choice?.type, 'any');
  });
});

describe('callModel provider options', () => {
  it('passes provider-specific options through to the request', async () => {
    await callModel({
      provider: provider('anthropic'),
      model: 'claude-sonnet-4-5',
      env: ENV,
      timeoutMs: 5000,
      prompt: 'hi',
      providerOptions: {
        anthropic: { sendReasoning: false, thinking: { type: 'enabled', budgetTokens: 2048 } },
      },
    });
    const body = sim().requests.at(-1)?.body as {
      thinking?: { type: string; budget_tokens: number };
    };
    assert.deepEqual(body.thinking, { type: 'enabled', budget_tokens: 2048 });
  });
});
