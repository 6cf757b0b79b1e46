/** The Codex usage rule: normalisation, per-turn versus cumulative reporting, version detection. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  type CodexUsageCounts,
  compareVersions,
  decideReporting,
  normaliseCodexUsage,
  readCodexUsage,
  runCodexUsage,
  versionReportsTotals,
} from '../../../src/runtimes/codex/index.ts';

const counts = (input: number, cached: number, output: number): CodexUsageCounts => ({
  inputTokens: input,
  cachedInputTokens: cached,
  cacheWriteInputTokens: 0,
  outputTokens: output,
  reasoningOutputTokens: 0,
});

describe('Codex usage', () => {
  it('takes cached and cache-write tokens out of input when normalising', () => {
    const usage = normaliseCodexUsage(
      readCodexUsage({
        input_tokens: 1000,
        cached_input_tokens: 600,
        cache_write_input_tokens: 100,
        output_tokens: 50,
        reasoning_output_tokens: 20,
      }),
    );
    assert.deepEqual(usage, {
      inputTokens: 300,
      outputTokens: 50,
      cacheReadTokens: 600,
      cacheWriteTokens: 100,
      reasoningTokens: 20,
    });
  });

  it('treats missing or invalid fields as zero', () => {
    assert.deepEqual(readCodexUsage({ input_tokens: 'x', output_tokens: -3 }), counts(0, 0, 0));
  });

  it('knows which versions report thread totals', () => {
    assert.equal(versionReportsTotals('codex-cli 0.155.1'), true);
    assert.equal(versionReportsTotals('0.160.0'), true);
    assert.equal(versionReportsTotals('codex-cli 0.153.4'), false);
    assert.equal(versionReportsTotals(undefined), false);
    assert.equal(versionReportsTotals('dev'), false);
    assert.equal(compareVersions('1.0.0', '0.999.9')! > 0, true);
  });

  it('decides cumulative only when the version reports totals and no field decreases', () => {
    const rising = [counts(10, 5, 1), counts(20, 10, 2)];
    const falling = [counts(20, 10, 2), counts(10, 5, 3)];
    assert.equal(decideReporting(rising, 'auto', '0.155.1'), 'cumulative');
    assert.equal(decideReporting(falling, 'auto', '0.155.1'), 'per-turn');
    assert.equal(decideReporting(rising, 'auto', '0.153.4'), 'per-turn');
    assert.equal(decideReporting(falling, 'cumulative', undefined), 'cumulative');
  });

  it('counts a baseline above the totals as another thread and bills the totals whole', () => {
    const { run } = runCodexUsage([counts(10, 5, 1)], 'cumulative', counts(100, 50, 10));
    assert.deepEqual(run, counts(10, 5, 1));
  });

  it('bills the same tokens either way: per-turn reports summed equal their running totals', () => {
    const arbTurn = fc.record({ i: fc.nat(100_000), c: fc.nat(100_000), o: fc.nat(10_000) });
    fc.assert(
      fc.property(fc.array(arbTurn, { minLength: 1, maxLength: 8 }), (turns) => {
        const perTurn = turns.map((t) => counts(t.i + t.c, t.c, t.o));
        const totals: CodexUsageCounts[] = [];
        for (const t of perTurn) {
          const prev = totals.at(-1) ?? counts(0, 0, 0);
          totals.push(
            counts(
              prev.inputTokens + t.inputTokens,
              prev.cachedInputTokens + t.cachedInputTokens,
              prev.outputTokens + t.outputTokens,
            ),
          );
        }
        assert.deepEqual(
          runCodexUsage(perTurn, 'per-turn').run,
          runCodexUsage(totals, 'cumulative').run,
        );
      }),
      { numRuns: 200 },
    );
  });
});
