import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  buildCatalog,
  maxOutputTokensWithin,
  priceCall,
  worstCaseCost,
} from '../../src/cost/index.ts';

const catalog = buildCatalog();
const at = new Date('2026-11-01T00:00:00Z');

describe('worst-case cost for reservations', () => {
  it('prices every prompt token at the dearest prompt rate and output at the output rate, plus the rounding allowance', () => {
    // Sonnet 4.5: a 1-hour cache write ($6/MTok) is the dearest prompt token.
    const r = worstCaseCost({
      provider: 'anthropic',
      model: 'claude-sonnet-4-5',
      promptTokens: 10_000,
      maxOutputTokens: 4000,
      at,
      catalog,
    });
    assert.deepEqual(r, {
      status: 'priced',
      costMicros: 60_000 + 60_000 + 3,
      entryId: 'built-in:anthropic/claude-sonnet-4-5@2025-09-29',
    });
  });

  it('uses long-context rates when the prompt passes their threshold', () => {
    const r = worstCaseCost({
      provider: 'google',
      model: 'gemini-2.5-pro',
      promptTokens: 300_000,
      maxOutputTokens: 0,
      at,
      catalog,
    });
    assert.equal(r.status === 'priced' ? r.costMicros : 0, 300_000 * 2.5 + 3);
  });

  it('caps output tokens to fit a reservation, and reports an unknown model as unpriced', () => {
    const cap = maxOutputTokensWithin({
      provider: 'anthropic',
      model: 'claude-sonnet-4-5',
      promptTokens: 10_000,
      reservedMicros: 120_003,
      at,
      catalog,
    });
    assert.deepEqual(cap, { status: 'priced', maxOutputTokens: 4000, promptFits: true });
    const none = maxOutputTokensWithin({
      provider: 'anthropic',
      model: 'claude-sonnet-4-5',
      promptTokens: 10_000,
      reservedMicros: 1000,
      at,
      catalog,
    });
    assert.deepEqual(none, { status: 'priced', maxOutputTokens: 0, promptFits: false });
    assert.equal(
      worstCaseCost({
        provider: 'acme',
        model: 'x',
        promptTokens: 1,
        maxOutputTokens: 1,
        at,
        catalog,
      }).status,
      'unpriced',
    );
  });

  it('never lets a call within the cap cost more than the reservation, however its prompt is split', () => {
    const models = [
      'anthropic/claude-opus-4-1',
      'anthropic/claude-haiku-4-5',
      'openai/gpt-5-nano',
      'openai/o3',
      'google/gemini-2.5-pro',
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...models),
        fc.integer({ min: 0, max: 400_000 }),
        fc.integer({ min: 0, max: 5_000_000 }),
        fc.tuple(fc.nat(), fc.nat(), fc.nat(), fc.nat()),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (key, promptTokens, reservedMicros, weights, outShare, reasoningShare) => {
          const [provider, model] = key.split('/') as [string, string];
          const cap = maxOutputTokensWithin({
            provider,
            model,
            promptTokens,
            reservedMicros,
            at,
            catalog,
          });
          assert.equal(cap.status, 'priced');
          if (cap.status !== 'priced') return;
          const total = weights.reduce((a, b) => a + b, 0) || 1;
          const cacheRead = Math.floor((promptTokens * weights[0]) / total);
          const write5m = Math.floor((promptTokens * weights[1]) / total);
          const write1h = Math.floor((promptTokens * weights[2]) / total);
          const input = promptTokens - cacheRead - write5m - write1h;
          const output = Math.floor(Math.min(cap.maxOutputTokens, 1_000_000) * outShare);
          const usage = {
            inputTokens: input,
            cacheReadTokens: cacheRead,
            cacheWriteTokens: write5m + write1h,
            cacheWrite1hTokens: write1h,
            outputTokens: output,
            reasoningTokens: Math.floor(output * reasoningShare),
          };
          const r = priceCall({ provider, model, usage, at, catalog });
          assert.equal(r.status, 'priced');
          if (r.status === 'priced' && cap.maxOutputTokens > 0)
            assert.ok(r.costMicros <= reservedMicros, `${r.costMicros} > ${reservedMicros}`);
        },
      ),
      { numRuns: 500 },
    );
  });
});
