import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildCatalog, importLiteLLM, parseModelList, priceCall } from '../../src/cost/index.ts';

const options = {
  effective: '2026-11-22',
  source: 'LiteLLM map prices.json',
  isKnown: (provider: string, id: string) => provider === 'anthropic' && id === 'claude-sonnet-4-5',
};

describe('LiteLLM price map import', () => {
  it('converts per-token prices to per-million entries, exactly, with cache and reasoning rates', () => {
    const r = importLiteLLM(
      {
        sample_spec: {
          input_cost_per_token: 0,
          litellm_provider: 'one of https://docs.litellm.ai/docs/providers',
        },
        'anthropic/claude-sonnet-4-5': {
          input_cost_per_token: 3e-6,
          output_cost_per_token: 1.5e-5,
          cache_read_input_token_cost: 3e-7,
          cache_creation_input_token_cost: 3.75e-6,
          cache_creation_input_token_cost_above_1hr: 6e-6,
          litellm_provider: 'anthropic',
          max_input_tokens: 200000,
          mode: 'chat',
        },
        'gemini/gemini-9-pro': {
          input_cost_per_token: 1.25e-6,
          output_cost_per_token: 1e-5,
          output_cost_per_reasoning_token: 1.2e-5,
          input_cost_per_token_above_200k_tokens: 2.5e-6,
          output_cost_per_token_above_200k_tokens: 1.5e-5,
          litellm_provider: 'gemini',
          max_input_tokens: 1048576,
          mode: 'chat',
        },
        'text-embedding-3-small': {
          input_cost_per_token: 2e-8,
          output_cost_per_token: 0,
          litellm_provider: 'openai',
          mode: 'embedding',
        },
      },
      options,
    );
    assert.deepEqual(r.errors, []);
    assert.deepEqual(
      r.skipped.map((s) => s.key),
      ['text-embedding-3-small'],
    );
    assert.equal(r.models.length, 2);
    const [sonnet, gemini] = r.models;
    assert.deepEqual(sonnet, {
      id: 'claude-sonnet-4-5',
      provider: 'anthropic',
      context_window: 200000,
      price: { input: 3, output: 15, cache_read: 0.3, cache_write: 3.75, cache_write_1h: 6 },
      effective: '2026-11-22',
      source: 'LiteLLM map prices.json',
    });
    assert.equal(gemini?.provider, 'google');
    assert.equal(gemini?.tier, 'unassigned');
    assert.deepEqual(gemini?.price, {
      input: 1.25,
      output: 10,
      reasoning: 12,
      long_context: { above_tokens: 200_000, input: 2.5, output: 15 },
    });
  });

  it('produces entries that price calls like the built-in catalog does', () => {
    const r = importLiteLLM(
      {
        'acme-large': {
          input_cost_per_token: 2e-6,
          output_cost_per_token: 8e-6,
          litellm_provider: 'acme',
          mode: 'chat',
        },
      },
      options,
    );
    const parsed = parseModelList(r.models, 'imported', '.keel/prices/imported.yaml');
    assert.ok(parsed.ok);
    const result = priceCall({
      provider: 'acme',
      model: 'acme-large',
      usage: {
        inputTokens: 1000,
        outputTokens: 1000,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        reasoningTokens: 0,
      },
      at: new Date('2026-11-22T09:00:00Z'),
      catalog: buildCatalog({ imported: parsed.overrides }),
    });
    assert.equal(result.status === 'priced' ? result.costMicros : -1, 10_000);
    const before = priceCall({
      provider: 'acme',
      model: 'acme-large',
      usage: {
        inputTokens: 1,
        outputTokens: 0,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        reasoningTokens: 0,
      },
      at: new Date('2026-11-21T23:00:00Z'),
      catalog: buildCatalog({ imported: parsed.overrides }),
    });
    assert.equal(before.status, 'unpriced');
  });

  it('reports each invalid entry by its key and keeps going to find them all', () => {
    const r = importLiteLLM(
      {
        'good-model': {
          input_cost_per_token: 1e-6,
          output_cost_per_token: 2e-6,
          litellm_provider: 'openai',
          mode: 'chat',
        },
        'bad-price': {
          input_cost_per_token: '0.000001',
          output_cost_per_token: 2e-6,
          litellm_provider: 'openai',
          mode: 'chat',
        },
        'negative-cache': {
          input_cost_per_token: 1e-6,
          output_cost_per_token: 2e-6,
          cache_read_input_token_cost: -1,
          litellm_provider: 'openai',
        },
        'no-provider': { input_cost_per_token: 1e-6, output_cost_per_token: 2e-6, mode: 'chat' },
        'not-an-object': 42,
        'per-second': { input_cost_per_second: 0.001, litellm_provider: 'openai', mode: 'chat' },
      },
      options,
    );
    assert.deepEqual(
      r.errors.map((e) => e.key),
      ['bad-price', 'negative-cache', 'no-provider', 'not-an-object'],
    );
    assert.match(r.errors[0]?.message ?? '', /input_cost_per_token is "0.000001"/);
    assert.deepEqual(
      r.skipped.map((s) => s.key),
      ['per-second'],
    );
  });

  it('reads a long-context threshold other than 200k from the field names', () => {
    const r = importLiteLLM(
      {
        'gemini/gemini-old-pro': {
          input_cost_per_token: 1.25e-6,
          output_cost_per_token: 5e-6,
          input_cost_per_token_above_128k_tokens: 2.5e-6,
          output_cost_per_token_above_128k_tokens: 1e-5,
          litellm_provider: 'gemini',
          max_tokens: 8192,
        },
      },
      options,
    );
    assert.deepEqual(r.models[0]?.price?.long_context, {
      above_tokens: 128_000,
      input: 2.5,
      output: 10,
    });
    assert.equal(r.models[0]?.context_window, undefined); // max_tokens is an output limit, not the context
  });

  it('rejects a file that is not a JSON object', () => {
    assert.equal(importLiteLLM([1, 2], options).errors[0]?.key, '(file)');
  });
});
