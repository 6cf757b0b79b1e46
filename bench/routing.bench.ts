/**
 * Routing economics: a simulated workload of changes of four classes, priced
 * with the built-in catalog's published prices and per-model first-pass
 * acceptance rates stated below (assumptions, not measurements). Compares cost
 * per accepted change and first-pass acceptance of always-frontier,
 * always-cheapest, keel's static tiers, keel's learned router and an oracle that
 * knows the true rates. Method and results: docs/bench/routing.md.
 */

import type { TokenUsage } from '../src/core/index.ts';
import {
  buildCatalog,
  type ComplexitySignals,
  chooseLearned,
  chooseModel,
  findModel,
  modelKey,
  priceCall,
  type RouterCandidate,
  type RouterStats,
  recordOutcome,
  seededRng,
  selectTier,
} from '../src/cost/index.ts';

const CHANGES = Number(process.env.KEEL_BENCH_ROUTING_CHANGES ?? 4000);
const SEEDS = [1, 2, 3, 4, 5];
const AT = new Date('2026-11-01T00:00:00Z');
const catalog = buildCatalog();

const MODELS = [
  'openai/gpt-5-nano',
  'anthropic/claude-haiku-4-5',
  'openai/gpt-5-mini',
  'anthropic/claude-sonnet-4-5',
  'google/gemini-2.5-pro',
  'anthropic/claude-opus-4-5',
] as const;
type Model = (typeof MODELS)[number];

interface TaskClass {
  name: string;
  share: number;
  category: string;
  agentTier: string;
  signals: ComplexitySignals;
  /** A typical pass: tokens in (mostly cache reads of the repository context) and out. */
  usage: TokenUsage;
  /** Assumed first-pass acceptance of each model on this class. */
  acceptance: Record<Model, number>;
}

const CLASSES: TaskClass[] = [
  {
    name: 'docs',
    share: 0.25,
    category: 'documenter',
    agentTier: 'economy',
    signals: { type: 'docs', filesTouched: 2 },
    usage: {
      inputTokens: 6000,
      cacheReadTokens: 10_000,
      cacheWriteTokens: 0,
      outputTokens: 2000,
      reasoningTokens: 0,
    },
    acceptance: {
      'openai/gpt-5-nano': 0.7,
      'anthropic/claude-haiku-4-5': 0.8,
      'openai/gpt-5-mini': 0.85,
      'anthropic/claude-sonnet-4-5': 0.9,
      'google/gemini-2.5-pro': 0.9,
      'anthropic/claude-opus-4-5': 0.93,
    },
  },
  {
    name: 'bugfix',
    share: 0.35,
    category: 'implementer',
    agentTier: 'standard',
    signals: { type: 'bug', filesTouched: 4 },
    usage: {
      inputTokens: 15_000,
      cacheReadTokens: 45_000,
      cacheWriteTokens: 5000,
      outputTokens: 6000,
      reasoningTokens: 2000,
    },
    acceptance: {
      'openai/gpt-5-nano': 0.25,
      'anthropic/claude-haiku-4-5': 0.45,
      'openai/gpt-5-mini': 0.55,
      'anthropic/claude-sonnet-4-5': 0.75,
      'google/gemini-2.5-pro': 0.72,
      'anthropic/claude-opus-4-5': 0.85,
    },
  },
  {
    name: 'feature',
    share: 0.2,
    category: 'implementer',
    agentTier: 'standard',
    signals: { type: 'feature', filesTouched: 25, contractsTouched: 1 },
    usage: {
      inputTokens: 30_000,
      cacheReadTokens: 90_000,
      cacheWriteTokens: 10_000,
      outputTokens: 14_000,
      reasoningTokens: 5000,
    },
    acceptance: {
      'openai/gpt-5-nano': 0.05,
      'anthropic/claude-haiku-4-5': 0.2,
      'openai/gpt-5-mini': 0.35,
      'anthropic/claude-sonnet-4-5': 0.65,
      'google/gemini-2.5-pro': 0.62,
      'anthropic/claude-opus-4-5': 0.8,
    },
  },
  {
    name: 'refactor',
    share: 0.2,
    category: 'implementer',
    agentTier: 'standard',
    signals: { type: 'refactor', filesTouched: 12, packagesTouched: 3 },
    usage: {
      inputTokens: 20_000,
      cacheReadTokens: 60_000,
      cacheWriteTokens: 8000,
      outputTokens: 9000,
      reasoningTokens: 3000,
    },
    acceptance: {
      'openai/gpt-5-nano': 0.15,
      'anthropic/claude-haiku-4-5': 0.35,
      'openai/gpt-5-mini': 0.5,
      'anthropic/claude-sonnet-4-5': 0.72,
      'google/gemini-2.5-pro': 0.7,
      'anthropic/claude-opus-4-5': 0.85,
    },
  },
];

/** Retries on the same model before escalating to the frontier fallback. */
const RETRIES_BEFORE_ESCALATION = 2;
const ESCALATION: Model = 'anthropic/claude-opus-4-5';
const ESCALATION_POLICY = { retries: RETRIES_BEFORE_ESCALATION, model: ESCALATION };

function passCost(model: Model, usage: TokenUsage): number {
  const [provider, id] = model.split('/') as [string, string];
  const r = priceCall({ provider, model: id, usage, at: AT, catalog });
  if (r.status !== 'priced') throw new Error(`bench model ${model} is unpriced: ${r.reason}`);
  return r.costMicros;
}

// Token counts vary pass to pass: a log-normal factor with median 1.
function noisy(u: TokenUsage, rng: () => number): TokenUsage {
  const f = Math.exp((rng() + rng() + rng() - 1.5) * 0.6);
  const s = (n: number) => Math.round(n * f);
  return {
    inputTokens: s(u.inputTokens),
    cacheReadTokens: s(u.cacheReadTokens),
    cacheWriteTokens: s(u.cacheWriteTokens),
    outputTokens: s(u.outputTokens),
    reasoningTokens: Math.min(s(u.reasoningTokens), s(u.outputTokens)),
  };
}

type Strategy = (c: TaskClass, learn: RouterStats, rng: () => number) => Model;

const cheapestKey = (tier: string): Model => {
  const m = chooseModel({ catalog, tier, at: AT, allowed: MODELS });
  if (!m) throw new Error(`no model of tier ${tier} among the bench models`);
  return modelKey(m) as Model;
};

const candidates = (c: TaskClass): RouterCandidate[] =>
  MODELS.map((m) => {
    const [provider, id] = m.split('/') as [string, string];
    const entry = findModel(catalog, provider, id);
    return {
      model: m,
      tier: entry?.model.tier ?? 'standard',
      priorCostMicros: passCost(m, c.usage),
    };
  });

const STRATEGIES: Record<string, Strategy> = {
  'always frontier': () => ESCALATION,
  'always cheapest': () => cheapestKey('economy'),
  'static tiers': (c) =>
    cheapestKey(selectTier({ agentDefaultTier: c.agentTier, signals: c.signals }).tier),
  'learned router': (c, stats, rng) =>
    chooseLearned(`${c.category}/${c.name}`, candidates(c), stats, {
      rng,
      escalation: ESCALATION_POLICY,
    }).chosen as Model,
  'learned router, 60% bar': (c, stats, rng) =>
    chooseLearned(`${c.category}/${c.name}`, candidates(c), stats, {
      rng,
      escalation: ESCALATION_POLICY,
      minAcceptance: 0.6,
    }).chosen as Model,
  // Knows the true rates and prices, and the same retry-then-escalate protocol.
  oracle: (c) => {
    const top = passCost(ESCALATION, c.usage) / c.acceptance[ESCALATION];
    let best: Model = ESCALATION;
    let bestCost = top;
    for (const m of MODELS) {
      const p = c.acceptance[m];
      const allFail = (1 - p) ** (RETRIES_BEFORE_ESCALATION + 1);
      const cost = (passCost(m, c.usage) * (1 - allFail)) / p + allFail * top;
      if (cost < bestCost) [best, bestCost] = [m, cost];
    }
    return best;
  },
};

/** The class whose cumulative share range contains `u`. */
function pickClass(u: number): TaskClass {
  let cumulative = 0;
  for (const k of CLASSES) {
    cumulative += k.share;
    if (u < cumulative) return k;
  }
  return CLASSES[CLASSES.length - 1] as TaskClass;
}

interface Result {
  costMicros: number;
  firstPass: number;
  attempts: number;
  decideMs: number;
}

function simulate(strategy: Strategy, seed: number): Result {
  const world = seededRng(seed);
  const routerRng = seededRng(seed * 7919);
  const stats: RouterStats = new Map();
  let costMicros = 0;
  let firstPass = 0;
  let attempts = 0;
  let decideMs = 0;
  for (let i = 0; i < CHANGES; i++) {
    const c = pickClass(world());
    const t0 = performance.now();
    let model = strategy(c, stats, routerRng);
    decideMs += performance.now() - t0;
    for (let attempt = 0; ; attempt++) {
      if (attempt > RETRIES_BEFORE_ESCALATION) model = ESCALATION;
      const cost = passCost(model, noisy(c.usage, world));
      const accepted = world() < c.acceptance[model];
      costMicros += cost;
      attempts++;
      recordOutcome(stats, {
        category: `${c.category}/${c.name}`,
        model,
        accepted,
        costMicros: cost,
      });
      if (accepted) {
        if (attempt === 0) firstPass++;
        break;
      }
    }
  }
  return { costMicros, firstPass, attempts, decideMs };
}

const rows: string[][] = [];
let frontierCost = 0;
for (const [name, strategy] of Object.entries(STRATEGIES)) {
  const runs = SEEDS.map((s) => simulate(strategy, s));
  const n = CHANGES * SEEDS.length;
  const cost = runs.reduce((a, r) => a + r.costMicros, 0) / n;
  if (name === 'always frontier') frontierCost = cost;
  const fp = runs.reduce((a, r) => a + r.firstPass, 0) / n;
  const att = runs.reduce((a, r) => a + r.attempts, 0) / n;
  const us = (runs.reduce((a, r) => a + r.decideMs, 0) / n) * 1000;
  rows.push([
    name,
    `$${(cost / 1e6).toFixed(4)}`,
    `${((cost / frontierCost) * 100).toFixed(0)}%`,
    `${(fp * 100).toFixed(1)}%`,
    att.toFixed(2),
    `${us.toFixed(1)}`,
  ]);
}

const headers = [
  'strategy',
  'cost/accepted change',
  'vs frontier',
  'first-pass acceptance',
  'attempts/change',
  'µs/decision',
];
const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
const line = (cells: string[]) =>
  cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
console.log(
  `routing: ${CHANGES} changes × ${SEEDS.length} seeds, prices of ${AT.toISOString().slice(0, 10)}`,
);
console.log(line(headers));
for (const r of rows) console.log(line(r));
