/** Provider configuration: API keys from the named variable, never leaked; OpenAI-compatible servers. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AuthenticationError,
  callModel,
  ModelConfigError,
} from '../../../src/runtimes/model-client/index.ts';
import { parseModelApiScenario, startModelApiSim } from '../../../src/sim/index.ts';
import { ENV, useSim } from './sim-harness.ts';

const { sim } = useSim({
  rules: [
    {
      name: 'echo-key',
      match: { agent: 'echo' },
      reply: {
        fault: 'unauthorized',
        message: `Incorrect API key provided: ${ENV.KEEL_TEST_OPENAI_KEY}.`,
      },
    },
  ],
});

describe('provider configuration', () => {
  it('names the missing API key variable and makes no request', async () => {
    const before = sim().requests.length;
    await assert.rejects(
      callModel({
        provider: { kind: 'anthropic', baseUrl: `${sim().url}/v1`, apiKeyEnv: 'MY_ANTHROPIC_KEY' },
        model: 'claude-sonnet-4-5',
        prompt: 'hi',
        timeoutMs: 1000,
        env: {},
      }),
      (error: unknown) => {
        assert.ok(error instanceof ModelConfigError);
        assert.match(error.message, /MY_ANTHROPIC_KEY is not set/);
        assert.match(error.hint ?? '', /export MY_ANTHROPIC_KEY=/);
        assert.deepEqual(error.attempts, []);
        return true;
      },
    );
    assert.equal(sim().requests.length, before);
  });

  it('uses the default variable of the provider kind when none is named', async () => {
    await assert.rejects(
      callModel({
        provider: { kind: 'openai', baseUrl: `${sim().url}/v1` },
        model: 'gpt-4.1',
        prompt: 'hi',
        timeoutMs: 1000,
        env: {},
      }),
      /OPENAI_API_KEY is not set/,
    );
  });

  it('never puts the key in an error, even when the provider quotes it', async () => {
    const error = await callModel({
      provider: { kind: 'openai', baseUrl: `${sim().url}/v1`, apiKeyEnv: 'KEEL_TEST_OPENAI_KEY' },
      model: 'gpt-4.1',
      prompt: 'hi',
      timeoutMs: 1000,
      env: ENV,
      headers: { 'x-keel-agent': 'echo' },
    }).catch((e: unknown) => e);
    assert.ok(error instanceof AuthenticationError);
    assert.match(error.message, /Incorrect API key provided: \[redacted\]/);
    assert.doesNotMatch(
      JSON.stringify({ message: error.message, attempts: error.attempts }),
      /sk-test-secret/,
    );
    assert.doesNotMatch(String((error.cause as Error | undefined)?.message), /sk-test-secret/);
  });

  it('sends the key the way each provider expects, and the wind tunnel does not record it', async () => {
    await callModel({
      provider: {
        kind: 'anthropic',
        baseUrl: `${sim().url}/v1`,
        apiKeyEnv: 'KEEL_TEST_ANTHROPIC_KEY',
      },
      model: 'claude-haiku-4-5',
      prompt: 'hi',
      timeoutMs: 1000,
      env: ENV,
    });
    const seen = sim().requests.at(-1);
    assert.equal(seen?.status, 200);
    assert.equal(seen?.headers['anthropic-version'], '2023-06-01');
    assert.equal(seen?.headers['x-api-key'], undefined);
    assert.doesNotMatch(JSON.stringify(sim().requests), /sk-ant-test-secret|sk-test-secret/);
  });

  it('talks to an OpenAI-compatible server (Ollama, vLLM) without a key', async () => {
    const local = await startModelApiSim({
      scenario: parseModelApiScenario(
        'requireAuth: false\nrules:\n  - match: { model: llama3.1:8b }\n    reply: { text: local answer, usage: { input: 7, output: 3 } }\n',
      ),
    });
    try {
      for (const stream of [false, true]) {
        const result = await callModel({
          provider: { kind: 'openai-compatible', baseUrl: `${local.url}/v1`, name: 'ollama' },
          model: 'llama3.1:8b',
          prompt: 'hi',
          stream,
          timeoutMs: 1000,
          env: {},
        });
        assert.equal(result.provider, 'ollama');
        assert.equal(result.text, 'local answer');
        assert.deepEqual(result.usage, {
          inputTokens: 7,
          outputTokens: 3,
          cacheReadTokens: 0,
          cacheWriteTokens: 0,
          reasoningTokens: 0,
        });
      }
      assert.equal(local.requests[0]?.headers.authorization, undefined);
    } finally {
      await local.close();
    }
  });

  it('requires a base URL for an OpenAI-compatible provider', async () => {
    await assert.rejects(
      callModel({
        provider: { kind: 'openai-compatible' },
        model: 'm',
        prompt: 'hi',
        timeoutMs: 1000,
        env: {},
      }),
      (error: unknown) =>
        error instanceof ModelConfigError && /needs a baseUrl/.test(error.message),
    );
  });

  it('rejects a meaningless timeout, attempt count or empty prompt before sending anything', async () => {
    const before = sim().requests.length;
    await assert.rejects(
      callModel({
        provider: { kind: 'openai', baseUrl: `${sim().url}/v1`, apiKeyEnv: 'KEEL_TEST_OPENAI_KEY' },
        model: 'gpt-4.1',
        timeoutMs: 0,
        retry: { maxAttempts: 0 },
        env: ENV,
      }),
      (error: unknown) => {
        assert.ok(error instanceof ModelConfigError);
        assert.match(error.message, /timeoutMs must be positive, got 0/);
        assert.match(
          error.message,
          /retry\.maxAttempts must be a whole number of at least 1, got 0/,
        );
        assert.match(error.message, /give a prompt or messages/);
        return true;
      },
    );
    assert.equal(sim().requests.length, before);
  });
});
