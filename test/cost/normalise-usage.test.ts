import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidInputError } from '../../src/core/index.ts';
import {
  normaliseAnthropicUsage,
  normaliseGoogleUsage,
  normaliseOpenAIUsage,
} from '../../src/cost/index.ts';

describe('provider usage normalisers', () => {
  it('reads the OpenAI Responses API shape as well as Chat Completions', () => {
    const u = normaliseOpenAIUsage({
      input_tokens: 5000,
      output_tokens: 900,
      input_tokens_details: { cached_tokens: 4096 },
      output_tokens_details: { reasoning_tokens: 512 },
      total_tokens: 5900,
    });
    assert.deepEqual(u, {
      inputTokens: 904,
      outputTokens: 900,
      cacheReadTokens: 4096,
      cacheWriteTokens: 0,
      reasoningTokens: 512,
    });
  });

  it('treats Anthropic cache writes without a TTL split as 5-minute writes', () => {
    const u = normaliseAnthropicUsage({
      input_tokens: 10,
      output_tokens: 5,
      cache_creation_input_tokens: 300,
      cache_read_input_tokens: 0,
    });
    assert.equal(u.cacheWriteTokens, 300);
    assert.equal(u.cacheWrite1hTokens, undefined);
  });

  it('treats an all-zero TTL split as no split', () => {
    const u = normaliseAnthropicUsage({
      input_tokens: 1,
      output_tokens: 1,
      cache_creation_input_tokens: 300,
      cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
    });
    assert.equal(u.cacheWriteTokens, 300);
  });

  it('rejects an Anthropic TTL split that does not add up to the reported writes', () => {
    assert.throws(
      () =>
        normaliseAnthropicUsage({
          input_tokens: 1,
          output_tokens: 1,
          cache_creation_input_tokens: 300,
          cache_creation: { ephemeral_5m_input_tokens: 100, ephemeral_1h_input_tokens: 100 },
        }),
      (e: unknown) => e instanceof InvalidInputError && /splits 200 tokens/.test(e.message),
    );
  });

  it('counts Gemini tool-use prompt tokens as input and thoughts as output', () => {
    const u = normaliseGoogleUsage({
      promptTokenCount: 100,
      toolUsePromptTokenCount: 20,
      candidatesTokenCount: 10,
      thoughtsTokenCount: 30,
    });
    assert.deepEqual(u, {
      inputTokens: 120,
      outputTokens: 40,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      reasoningTokens: 30,
    });
  });

  it('rejects negative or fractional counts naming the field', () => {
    assert.throws(
      () => normaliseOpenAIUsage({ prompt_tokens: -1, completion_tokens: 0 }),
      /prompt tokens is -1/,
    );
    assert.throws(() => normaliseGoogleUsage({ promptTokenCount: 1.5 }), /promptTokenCount is 1.5/);
  });

  it('rejects more cached tokens than prompt tokens', () => {
    assert.throws(
      () =>
        normaliseOpenAIUsage({
          prompt_tokens: 10,
          completion_tokens: 0,
          prompt_tokens_details: { cached_tokens: 11 },
        }),
      /more cached tokens than prompt tokens/,
    );
  });
});
