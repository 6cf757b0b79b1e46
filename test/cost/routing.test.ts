import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  buildCatalog,
  chooseLearned,
  chooseModel,
  complexityScore,
  fallbackModel,
  findModel,
  learnStats,
  modelKey,
  parseModelList,
  type RouterCandidate,
  recordOutcome,
  routerCandidates,
  seededRng,
  selectTier,
} from '../../src/cost/index.ts';

const at = new Date('2026-11-01T00:00:00Z');

describe('tier selection', () => {
  it('keeps the agent default tier for an ordinary change', () => {
    const c = selectTier({
      agentDefaultTier: 'standard',
      signals: { type: 'feature', filesTouched: 4 },
    });
    assert.equal(c.tier, 'standard');
    assert.deepEqual(c.steps, ['agent default tier standard']);
  });

  it('moves up for a security change touching contracts and several repositories', () => {
    const signals = { type: 'security' as const, reposTouched: 2, contractsTouched: 1 };
    assert.equal(complexityScore(signals).score, 3);
    const c = selectTier({ agentDefaultTier: 'economy', signals });
    assert.equal(c.tier, 'frontier'); // shift capped at +2
    assert.match(c.steps[1] ?? '', /complexity 3/);
  });

  it('moves down for docs work and fast mode, never below the cheapest tier', () => {
    assert.equal(
      selectTier({ agentDefaultTier: 'standard', signals: { type: 'docs' } }).tier,
      'economy',
    );
    assert.equal(
      selectTier({ agentDefaultTier: 'standard', signals: { type: 'docs' }, mode: 'fast' }).tier,
      'economy',
    );
    assert.equal(selectTier({ agentDefaultTier: 'standard', mode: 'thorough' }).tier, 'frontier');
  });

  it('lets a workflow or gate pin the tier over complexity and mode', () => {
    const c = selectTier({
      agentDefaultTier: 'economy',
      signals: { type: 'incident', reposTouched: 3 },
      mode: 'thorough',
      pin: { tier: 'standard', by: 'gate' },
    });
    assert.equal(c.tier, 'standard');
    assert.deepEqual(c.steps, ['pinned to standard by the gate']);
  });

  it('escalates one tier per failed gate, even from a pin', () => {
    assert.equal(selectTier({ agentDefaultTier: 'economy', failedGates: 1 }).tier, 'standard');
    assert.equal(
      selectTier({
        agentDefaultTier: 'economy',
        pin: { tier: 'standard', by: 'workflow' },
        failedGates: 1,
      }).tier,
      'frontier',
    );
    assert.equal(selectTier({ agentDefaultTier: 'standard', failedGates: 5 }).tier, 'frontier');
  });

  it('prefers a local model for local-eligible cheap passes, and up to standard when budgets are tight', () => {
    const base = { localEligible: true, localAvailable: true };
    assert.equal(selectTier({ ...base, agentDefaultTier: 'economy' }).tier, 'local');
    assert.equal(selectTier({ ...base, agentDefaultTier: 'standard' }).tier, 'standard');
    assert.equal(
      selectTier({ ...base, agentDefaultTier: 'standard', budgetPressure: 'approaching' }).tier,
      'local',
    );
    assert.equal(
      selectTier({ ...base, agentDefaultTier: 'frontier', budgetPressure: 'at-limit' }).tier,
      'frontier',
    );
    assert.equal(
      selectTier({ ...base, localAvailable: false, agentDefaultTier: 'economy' }).tier,
      'economy',
    );
    assert.equal(
      selectTier({ ...base, agentDefaultTier: 'economy', failedGates: 1 }).tier,
      'standard',
    );
  });

  it('rejects an agent tier that is not on the ladder', () => {
    assert.throws(
      () => selectTier({ agentDefaultTier: 'premium' }),
      /premium is not one of economy, standard, frontier/,
    );
  });
});

describe('model choice and provider fallback', () => {
  const catalog = buildCatalog();

  it('picks the cheapest allowed model of the tier', () => {
    assert.equal(chooseModel({ catalog, tier: 'standard', at })?.id, 'gpt-5-mini'); // $0.25 + $2 per MTok
    const allowed = ['anthropic/claude-sonnet-4-5', 'openai/gpt-4.1'];
    assert.equal(chooseModel({ catalog, tier: 'standard', at, allowed })?.id, 'gpt-4.1');
  });

  it('falls back to a model of the same tier from another provider after a provider error', () => {
    const failed = findModel(catalog, 'anthropic', 'claude-sonnet-4-5')?.model;
    assert.ok(failed);
    const fb = fallbackModel({
      catalog,
      at,
      failed,
      allowed: ['anthropic/claude-sonnet-4-5', 'anthropic/claude-sonnet-4-0', 'openai/gpt-4.1'],
    });
    assert.equal(fb ? modelKey(fb) : undefined, 'openai/gpt-4.1');
    assert.equal(
      fallbackModel({ catalog, at, failed, allowed: ['anthropic/claude-sonnet-4-5'] }),
      undefined,
    );
  });
});

describe('the learned router', () => {
  const candidates: RouterCandidate[] = [
    { model: 'google/cheap', tier: 'economy', priorCostMicros: 1000 },
    { model: 'anthropic/mid', tier: 'standard', priorCostMicros: 3000 },
    { model: 'anthropic/top', tier: 'frontier', priorCostMicros: 15_000 },
  ];

  it('explains its choice with every candidate and its figures, without history relying on priors', () => {
    const e = chooseLearned('implementer', candidates, new Map(), { rng: () => 0.99 });
    assert.equal(e.reason, 'lowest-expected-cost');
    assert.equal(e.chosen, 'google/cheap'); // 1000 / 0.6 beats 3000 / 0.75
    assert.equal(e.candidates.length, 3);
    assert.equal(e.candidates[0]?.acceptance, 0.6);
    assert.match(e.detail, /per accepted pass/);
  });

  it('does not let two lucky passes outweigh the prior', () => {
    const stats = learnStats([
      { category: 'qa', model: 'google/cheap', accepted: true, costMicros: 1000 },
      { category: 'qa', model: 'google/cheap', accepted: true, costMicros: 1000 },
    ]);
    const e = chooseLearned('qa', candidates, stats, { rng: () => 0.99 });
    const cheap = e.candidates.find((c) => c.model === 'google/cheap');
    assert.ok(cheap && cheap.acceptance < 0.8 && cheap.acceptance > 0.6);
  });

  it('accounts for escalation: a cheap model that often fails costs the escalation too', () => {
    const stats = learnStats(
      Array.from({ length: 40 }, (_, i) => ({
        category: 'bug',
        model: 'google/cheap',
        accepted: i % 4 === 0,
        costMicros: 1000,
      })),
    );
    const plain = chooseLearned('bug', candidates, stats, { rng: () => 0.99 });
    assert.equal(plain.chosen, 'google/cheap'); // ≈ 1000 / 0.27 beats 3000 / 0.75
    const escalating = chooseLearned('bug', candidates, stats, {
      rng: () => 0.99,
      escalation: { retries: 2, model: 'anthropic/top' },
    });
    assert.equal(escalating.chosen, 'anthropic/mid');
    const cheap = escalating.candidates.find((c) => c.model === 'google/cheap');
    const top = escalating.candidates.find((c) => c.model === 'anthropic/top');
    assert.ok(cheap && top);
    const allFail = (1 - cheap.acceptance) ** 3;
    const expected =
      (cheap.costPerPassMicros * (1 - allFail)) / cheap.acceptance +
      allFail * top.expectedCostPerAcceptedMicros;
    assert.ok(Math.abs(cheap.expectedCostPerAcceptedMicros - expected) < 1e-6);
  });

  it('does not choose a model below the quality bar while another meets it, and says why', () => {
    const e = chooseLearned('implementer', candidates, new Map(), {
      rng: () => 0.99,
      minAcceptance: 0.7,
    });
    assert.equal(e.chosen, 'anthropic/mid');
    assert.equal(e.candidates.at(-1)?.model, 'google/cheap');
    assert.match(e.detail, /below the 70% acceptance bar: google\/cheap/);
  });

  it('explores the least-tried other candidate when the RNG says so', () => {
    const stats = learnStats([
      { category: 'qa', model: 'anthropic/mid', accepted: true, costMicros: 3000 },
    ]);
    const e = chooseLearned('qa', candidates, stats, { rng: () => 0, epsilon: 0.1 });
    assert.equal(e.reason, 'exploration');
    assert.equal(e.chosen, 'anthropic/top');
  });

  it('converges on the cheapest acceptable model per category in a seeded simulation', () => {
    // True first-pass acceptance per category; cost per accepted pass = cost / acceptance.
    const truth: Record<string, Record<string, number>> = {
      implementer: { 'google/cheap': 0.2, 'anthropic/mid': 0.8, 'anthropic/top': 0.95 }, // 5000, 3750, 15789
      documenter: { 'google/cheap': 0.75, 'anthropic/mid': 0.85, 'anthropic/top': 0.95 }, // 1333, 3529, 15789
    };
    const cost: Record<string, number> = {
      'google/cheap': 1000,
      'anthropic/mid': 3000,
      'anthropic/top': 15_000,
    };
    const rng = seededRng(42);
    const world = seededRng(7);
    const stats = new Map();
    const late: Record<string, string[]> = { implementer: [], documenter: [] };
    for (let i = 0; i < 600; i++) {
      for (const category of Object.keys(truth)) {
        const choice = chooseLearned(category, candidates, stats, { rng }).chosen;
        const accepted = world() < (truth[category]?.[choice] ?? 0);
        recordOutcome(stats, { category, model: choice, accepted, costMicros: cost[choice] ?? 0 });
        if (i >= 400) late[category]?.push(choice);
      }
    }
    const share = (c: string, m: string) => (late[c] ?? []).filter((x) => x === m).length / 200;
    assert.ok(
      share('implementer', 'anthropic/mid') >= 0.85,
      `implementer mid share ${share('implementer', 'anthropic/mid')}`,
    );
    assert.ok(
      share('documenter', 'google/cheap') >= 0.85,
      `documenter cheap share ${share('documenter', 'google/cheap')}`,
    );
  });

  it('builds candidates from the catalog, leaving out models it cannot price', () => {
    const parsed = parseModelList(
      [
        {
          id: 'free-lunch',
          provider: 'acme',
          tier: 'economy',
          price: { input: 0, output: 0 },
          effective: '2030-01-01',
        },
      ],
      'keel.yaml',
      'keel.yaml',
    );
    assert.ok(parsed.ok);
    const catalog = buildCatalog({ configured: parsed.overrides });
    const models = ['claude-haiku-4-5', 'free-lunch']
      .map((id) => catalog.models.find((m) => m.id === id))
      .filter((m) => m !== undefined);
    const typical = {
      inputTokens: 20_000,
      outputTokens: 2000,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      reasoningTokens: 0,
    };
    const c = routerCandidates(catalog, models, typical, at);
    assert.deepEqual(c, [
      { model: 'anthropic/claude-haiku-4-5', tier: 'economy', priorCostMicros: 30_000 },
    ]);
  });
});
