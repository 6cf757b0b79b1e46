import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TokenUsage } from '../../src/core/index.ts';
import {
  buildCatalog,
  normaliseAnthropicUsage,
  normaliseGoogleUsage,
  normaliseOpenAIUsage,
  type PriceResult,
  parseModelList,
  priceCall,
} from '../../src/cost/index.ts';

const catalog = buildCatalog();
const at = new Date('2026-11-01T12:00:00Z');

function usage(u: Partial<TokenUsage>): TokenUsage {
  return {
    inputTokens: 0,
    outputTokens: 0,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    reasoningTokens: 0,
    ...u,
  };
}

function priced(r: PriceResult) {
  assert.equal(r.status, 'priced', r.status === 'unpriced' ? r.reason : '');
  if (r.status !== 'priced') throw new Error('unreachable');
  return r;
}

// Micro-dollars are tokens × USD per million tokens, so the hand computations below are short.
describe('priceCall, by provider convention', () => {
  it('prices an Anthropic call with cache reads and 5-minute and 1-hour cache writes apart', () => {
    const u = normaliseAnthropicUsage({
      input_tokens: 1000,
      output_tokens: 800,
      cache_read_input_tokens: 20_000,
      cache_creation_input_tokens: 5000,
      cache_creation: { ephemeral_5m_input_tokens: 3000, ephemeral_1h_input_tokens: 2000 },
    });
    const r = priced(
      priceCall({ provider: 'anthropic', model: 'claude-sonnet-4-5', usage: u, at, catalog }),
    );
    // 1000×$3 + 20000×$0.30 + 3000×$3.75 + 2000×$6 + 800×$15 (per million)
    assert.deepEqual(r.breakdown, {
      input: 3000,
      cacheRead: 6000,
      cacheWrite: 23_250,
      output: 12_000,
      reasoning: 0,
    });
    assert.equal(r.costMicros, 44_250);
    assert.equal(r.costUsd, 0.04425);
  });

  it('charges 1-hour cache writes at their own rate, higher than 5-minute writes', () => {
    const five = priced(
      priceCall({
        provider: 'anthropic',
        model: 'claude-haiku-4-5',
        usage: usage({ cacheWriteTokens: 10_000 }),
        at,
        catalog,
      }),
    );
    const hour = priced(
      priceCall({
        provider: 'anthropic',
        model: 'claude-haiku-4-5',
        usage: usage({ cacheWriteTokens: 10_000, cacheWrite1hTokens: 10_000 }),
        at,
        catalog,
      }),
    );
    assert.equal(five.costMicros, 12_500); // 10000 × $1.25
    assert.equal(hour.costMicros, 20_000); // 10000 × $2
  });

  it('prices an OpenAI call whose cached tokens sit inside prompt tokens and reasoning inside completion tokens', () => {
    const u = normaliseOpenAIUsage({
      prompt_tokens: 10_000,
      completion_tokens: 3000,
      prompt_tokens_details: { cached_tokens: 8000 },
      completion_tokens_details: { reasoning_tokens: 2000 },
    });
    assert.deepEqual(u, {
      inputTokens: 2000,
      outputTokens: 3000,
      cacheReadTokens: 8000,
      cacheWriteTokens: 0,
      reasoningTokens: 2000,
    });
    const r = priced(priceCall({ provider: 'openai', model: 'gpt-5', usage: u, at, catalog }));
    // 2000×$1.25 + 8000×$0.125 + 1000×$10 visible output + 2000×$10 reasoning
    assert.deepEqual(r.breakdown, {
      input: 2500,
      cacheRead: 1000,
      cacheWrite: 0,
      output: 10_000,
      reasoning: 20_000,
    });
    assert.equal(r.costMicros, 33_500);
  });

  it('prices a Gemini call whose thoughts are reported apart from candidates', () => {
    const u = normaliseGoogleUsage({
      promptTokenCount: 12_000,
      cachedContentTokenCount: 10_000,
      candidatesTokenCount: 1000,
      thoughtsTokenCount: 3000,
    });
    const r = priced(
      priceCall({ provider: 'gemini', model: 'models/gemini-2.5-pro', usage: u, at, catalog }),
    );
    assert.deepEqual(r.breakdown, {
      input: 2500,
      cacheRead: 1250,
      cacheWrite: 0,
      output: 10_000,
      reasoning: 30_000,
    });
    assert.equal(r.costMicros, 43_750);
    assert.equal(r.priceRef.longContext, false);
  });

  it('applies long-context rates to the whole call when the prompt exceeds the threshold', () => {
    const r = priced(
      priceCall({
        provider: 'google',
        model: 'gemini-2.5-pro',
        usage: usage({ inputTokens: 250_000, outputTokens: 1000 }),
        at,
        catalog,
      }),
    );
    assert.equal(r.costMicros, 250_000 * 2.5 + 1000 * 15);
    assert.equal(r.priceRef.longContext, true);
  });

  it('bills reasoning at a separate rate when the price has one', () => {
    const parsed = parseModelList(
      [
        {
          id: 'thinker',
          provider: 'acme',
          tier: 'standard',
          price: { input: 1, output: 4, reasoning: 2 },
        },
      ],
      'keel.yaml',
      'keel.yaml',
    );
    assert.ok(parsed.ok);
    const cat = buildCatalog({ configured: parsed.overrides });
    const r = priced(
      priceCall({
        provider: 'acme',
        model: 'thinker',
        usage: usage({ outputTokens: 1000, reasoningTokens: 600 }),
        at,
        catalog: cat,
      }),
    );
    assert.deepEqual(r.breakdown, {
      input: 0,
      cacheRead: 0,
      cacheWrite: 0,
      output: 1600,
      reasoning: 1200,
    });
  });

  it('rounds each component half up to the micro-dollar and keeps the total equal to the sum of parts', () => {
    // gpt-5-nano input is $0.05/MTok: 10 tokens cost 0.5 µ$, 9 tokens 0.45 µ$.
    const ten = priced(
      priceCall({
        provider: 'openai',
        model: 'gpt-5-nano',
        usage: usage({ inputTokens: 10 }),
        at,
        catalog,
      }),
    );
    const nine = priced(
      priceCall({
        provider: 'openai',
        model: 'gpt-5-nano',
        usage: usage({ inputTokens: 9 }),
        at,
        catalog,
      }),
    );
    assert.equal(ten.costMicros, 1);
    assert.equal(nine.costMicros, 0);
    const big = priced(
      priceCall({
        provider: 'anthropic',
        model: 'claude-opus-4-1',
        usage: usage({ inputTokens: 2_000_000_000, outputTokens: 1_000_000_000 }),
        at,
        catalog,
      }),
    );
    const b = big.breakdown;
    assert.equal(big.costMicros, b.input + b.output + b.cacheRead + b.cacheWrite + b.reasoning);
    assert.equal(big.costMicros, 2_000_000_000 * 15 + 1_000_000_000 * 75);
  });
});

describe('priceCall and the price history', () => {
  it('uses the price in force on the call day: o3 before and after its June 2025 cut', () => {
    const u = usage({ inputTokens: 1000, outputTokens: 1000 });
    const before = priced(
      priceCall({
        provider: 'openai',
        model: 'o3',
        usage: u,
        at: new Date('2025-06-09T23:59:59Z'),
        catalog,
      }),
    );
    const after = priced(
      priceCall({
        provider: 'openai',
        model: 'o3',
        usage: u,
        at: new Date('2025-06-10T00:00:00Z'),
        catalog,
      }),
    );
    assert.equal(before.costMicros, 50_000);
    assert.equal(after.costMicros, 10_000);
    assert.equal(before.priceRef.entryId, 'built-in:openai/o3@2025-04-16');
    assert.equal(after.priceRef.effective, '2025-06-10');
  });

  it('does not change a past call when a later price is added', () => {
    const u = usage({ inputTokens: 100_000 });
    const callDay = new Date('2026-03-01T10:00:00Z');
    const old = priced(
      priceCall({
        provider: 'anthropic',
        model: 'claude-sonnet-4-5',
        usage: u,
        at: callDay,
        catalog,
      }),
    );
    const parsed = parseModelList(
      [
        {
          id: 'claude-sonnet-4-5',
          provider: 'anthropic',
          price: { input: 2, output: 10 },
          effective: '2026-06-01',
        },
      ],
      'keel.yaml',
      'keel.yaml',
    );
    assert.ok(parsed.ok);
    const changed = buildCatalog({ configured: parsed.overrides });
    const again = priced(
      priceCall({
        provider: 'anthropic',
        model: 'claude-sonnet-4-5',
        usage: u,
        at: callDay,
        catalog: changed,
      }),
    );
    const later = priced(
      priceCall({
        provider: 'anthropic',
        model: 'claude-sonnet-4-5',
        usage: u,
        at: new Date('2026-07-01T00:00:00Z'),
        catalog: changed,
      }),
    );
    assert.equal(old.costMicros, 300_000);
    assert.equal(again.costMicros, 300_000);
    assert.equal(again.priceRef.entryId, old.priceRef.entryId);
    assert.equal(later.costMicros, 200_000);
    assert.equal(later.priceRef.origin, 'keel.yaml');
  });

  it('reports a call made before a model had any price as unpriced, naming the first price date', () => {
    const r = priceCall({
      provider: 'openai',
      model: 'o3',
      usage: usage({ inputTokens: 1 }),
      at: new Date('2025-01-01T00:00:00Z'),
      catalog,
    });
    assert.equal(r.status, 'unpriced');
    assert.match(r.status === 'unpriced' ? r.reason : '', /first price from 2025-04-16/);
  });
});

describe('priceCall on what it cannot price', () => {
  it('flags an unknown model as unpriced with a reason and a hint, never as $0', () => {
    const r = priceCall({
      provider: 'openai',
      model: 'gpt-9-ultra',
      usage: usage({ inputTokens: 100 }),
      at,
      catalog,
    });
    assert.equal(r.status, 'unpriced');
    if (r.status !== 'unpriced') return;
    assert.match(r.reason, /unknown model openai\/gpt-9-ultra/);
    assert.match(r.hint, /keel\.yaml/);
    assert.equal('costMicros' in r, false);
  });

  it('does not price a known model name under the wrong provider', () => {
    const r = priceCall({
      provider: 'openai',
      model: 'claude-sonnet-4-5',
      usage: usage({ inputTokens: 1 }),
      at,
      catalog,
    });
    assert.equal(r.status, 'unpriced');
  });

  it('refuses usage whose reasoning exceeds its output', () => {
    const r = priceCall({
      provider: 'openai',
      model: 'gpt-5',
      usage: usage({ outputTokens: 10, reasoningTokens: 11 }),
      at,
      catalog,
    });
    assert.equal(r.status, 'unpriced');
    assert.match(
      r.status === 'unpriced' ? r.reason : '',
      /reasoningTokens \(11\) exceed outputTokens \(10\)/,
    );
  });

  it('recognises a dated snapshot of a known model and says so', () => {
    const alias = priced(
      priceCall({
        provider: 'anthropic',
        model: 'claude-sonnet-4-5-20250929',
        usage: usage({ inputTokens: 1 }),
        at,
        catalog,
      }),
    );
    const snap = priced(
      priceCall({
        provider: 'anthropic',
        model: 'claude-haiku-4-5-20261010',
        usage: usage({ inputTokens: 1 }),
        at,
        catalog,
      }),
    );
    assert.equal(alias.priceRef.matchedBy, 'alias');
    assert.equal(snap.priceRef.matchedBy, 'snapshot');
    assert.equal(snap.priceRef.model, 'claude-haiku-4-5');
  });

  it('prices a local model at its configured amortised hardware cost', () => {
    const parsed = parseModelList(
      [
        {
          id: 'qwen3-coder',
          provider: 'ollama',
          tier: 'local',
          local: true,
          price: { amortised: { usd_per_hour: 2, tokens_per_hour: 1_000_000 } },
        },
      ],
      'keel.yaml',
      'keel.yaml',
    );
    assert.ok(parsed.ok);
    const cat = buildCatalog({ configured: parsed.overrides });
    const r = priced(
      priceCall({
        provider: 'ollama',
        model: 'qwen3-coder',
        usage: usage({ inputTokens: 400_000, outputTokens: 100_000 }),
        at,
        catalog: cat,
      }),
    );
    assert.equal(r.costMicros, 1_000_000); // half a million tokens of a $2 hour serving a million
  });
});
