/**
 * The learned router: per agent category and model, the first-pass acceptance
 * rate and the cost per pass from history, and a choice of the allowed model
 * with the lowest expected cost per accepted pass (cost ÷ acceptance: a rejected
 * pass is paid for and redone). A Beta prior on acceptance and a pseudo-count on
 * cost (from the catalog's price for a typical pass) keep a model with two lucky
 * passes from dominating; ε-exploration with an injected RNG keeps sampling the
 * least-tried candidate so the estimates stay honest, deterministically in tests.
 */
import type { MicroUsd } from './money.ts';

/** One finished pass, as the router learns from it. */
export interface PassOutcome {
  category: string;
  /** `provider/model`. */
  model: string;
  /** Whether the pass's gates accepted it on the first attempt. */
  accepted: boolean;
  costMicros: MicroUsd;
}

export interface ModelStats {
  passes: number;
  accepted: number;
  costMicros: MicroUsd;
}

/** category → model → stats. */
export type RouterStats = Map<string, Map<string, ModelStats>>;

/** Aggregates history into per-category, per-model stats. */
export function learnStats(
  history: Iterable<PassOutcome>,
  into: RouterStats = new Map(),
): RouterStats {
  for (const h of history) recordOutcome(into, h);
  return into;
}

/** Adds one outcome to the stats (the engine calls this as passes finish). */
export function recordOutcome(stats: RouterStats, h: PassOutcome): void {
  let byModel = stats.get(h.category);
  if (!byModel) {
    byModel = new Map();
    stats.set(h.category, byModel);
  }
  const s = byModel.get(h.model) ?? { passes: 0, accepted: 0, costMicros: 0 };
  byModel.set(h.model, {
    passes: s.passes + 1,
    accepted: s.accepted + (h.accepted ? 1 : 0),
    costMicros: s.costMicros + h.costMicros,
  });
}

export interface RouterCandidate {
  model: string;
  tier: string;
  /** Expected cost of one pass before any history: catalog price × a typical pass's tokens. */
  priorCostMicros: MicroUsd;
}

/** Prior first-pass acceptance by tier, before history says otherwise. */
export const DEFAULT_PRIOR_ACCEPTANCE: Readonly<Record<string, number>> = {
  local: 0.5,
  economy: 0.6,
  standard: 0.75,
  frontier: 0.85,
};

export interface RouterOptions {
  /** Uniform [0, 1) source; inject a seeded one for determinism. */
  rng: () => number;
  /** Probability of exploring instead of exploiting (default 0.05). */
  epsilon?: number;
  /** Pseudo-passes of the acceptance prior (default 4). */
  priorStrength?: number;
  /** Pseudo-passes of the cost prior (default 1). */
  costPriorStrength?: number;
  priorAcceptance?: Readonly<Record<string, number>>;
  /**
   * The gate's escalation policy: after `retries` rejected reworks on the chosen
   * model, the pass moves to `model`, whose expected cost per accepted pass is
   * `costPerAcceptedMicros` (computed from the candidates when omitted). Without
   * it a rejected pass is redone on the same model until accepted, and the
   * expected cost is cost ÷ acceptance.
   */
  escalation?: { retries: number; model: string; costPerAcceptedMicros?: number };
  /** The quality bar: candidates whose posterior acceptance is below it are not chosen while any meets it. */
  minAcceptance?: number;
}

export interface CandidateFigures {
  model: string;
  tier: string;
  passes: number;
  accepted: number;
  /** Posterior mean of first-pass acceptance. */
  acceptance: number;
  costPerPassMicros: number;
  expectedCostPerAcceptedMicros: number;
}

export interface RouterExplanation {
  category: string;
  chosen: string;
  reason: 'only-candidate' | 'lowest-expected-cost' | 'exploration';
  detail: string;
  /** Every candidate with its figures: those meeting the bar best first, then those below it. */
  candidates: CandidateFigures[];
}

/** The figures the router compares, for one candidate. */
export function candidateFigures(
  c: RouterCandidate,
  s: ModelStats | undefined,
  options: Omit<RouterOptions, 'rng'> = {},
): CandidateFigures {
  const k = options.priorStrength ?? 4;
  const kc = options.costPriorStrength ?? 1;
  const p0 = (options.priorAcceptance ?? DEFAULT_PRIOR_ACCEPTANCE)[c.tier] ?? 0.6;
  const passes = s?.passes ?? 0;
  const accepted = s?.accepted ?? 0;
  const acceptance = (p0 * k + accepted) / (k + passes);
  const costPerPass = (c.priorCostMicros * kc + (s?.costMicros ?? 0)) / (kc + passes);
  let expected = costPerPass / acceptance;
  const esc = options.escalation;
  if (esc && esc.model !== c.model && esc.costPerAcceptedMicros !== undefined) {
    // Up to retries+1 attempts here (a truncated geometric series), then the escalation's cost.
    const allFail = (1 - acceptance) ** (esc.retries + 1);
    expected = (costPerPass * (1 - allFail)) / acceptance + allFail * esc.costPerAcceptedMicros;
  }
  return {
    model: c.model,
    tier: c.tier,
    passes,
    accepted,
    acceptance,
    costPerPassMicros: costPerPass,
    expectedCostPerAcceptedMicros: expected,
  };
}

/** Chooses a model for a pass of `category` among `candidates`, with the reasons. */
export function chooseLearned(
  category: string,
  candidates: readonly RouterCandidate[],
  stats: RouterStats,
  options: RouterOptions,
): RouterExplanation {
  if (candidates.length === 0) throw new RangeError(`no candidate model for ${category}`);
  const byModel = stats.get(category);
  const esc = options.escalation;
  let figureOptions = options;
  if (esc && esc.costPerAcceptedMicros === undefined) {
    const target = candidates.find((c) => c.model === esc.model);
    if (!target) throw new RangeError(`escalation model ${esc.model} is not a candidate`);
    const own = candidateFigures(target, byModel?.get(target.model), {
      ...options,
      escalation: undefined,
    });
    figureOptions = {
      ...options,
      escalation: { ...esc, costPerAcceptedMicros: own.expectedCostPerAcceptedMicros },
    };
  }
  const all = candidates.map((c) => candidateFigures(c, byModel?.get(c.model), figureOptions));
  const bar = options.minAcceptance ?? 0;
  const meeting = all.filter((f) => f.acceptance >= bar);
  // If no candidate meets the bar, the most reliable one is the least bad choice.
  const pool =
    meeting.length > 0
      ? meeting
      : [all.reduce((a, f) => (f.acceptance > a.acceptance ? f : a), all[0] as CandidateFigures)];
  const below = all.filter((f) => !pool.includes(f));
  const figures = pool.sort(
    (a, b) =>
      a.expectedCostPerAcceptedMicros - b.expectedCostPerAcceptedMicros ||
      a.model.localeCompare(b.model),
  );
  const best = figures[0] as CandidateFigures;
  const ranked = [...figures, ...below];
  const money = (m: number) => `$${(m / 1e6).toFixed(4)}`;
  if (ranked.length === 1)
    return {
      category,
      chosen: best.model,
      reason: 'only-candidate',
      detail: `${best.model} is the only allowed model`,
      candidates: ranked,
    };
  const epsilon = options.epsilon ?? 0.05;
  if (options.rng() < epsilon) {
    // Explore the least-tried other candidate (below the bar too, or it could never recover);
    // ties go to the better-ranked one.
    const others = ranked.slice(1);
    const least = others.reduce(
      (a, f) => (f.passes < a.passes ? f : a),
      others[0] as CandidateFigures,
    );
    return {
      category,
      chosen: least.model,
      reason: 'exploration',
      detail: `exploring ${least.model} (${least.passes} passes so far) instead of ${best.model}`,
      candidates: ranked,
    };
  }
  const next = figures[1];
  const versus = next
    ? ` vs ${next.model} at ${money(next.expectedCostPerAcceptedMicros)}`
    : ' (the only one meeting the bar)';
  const excluded =
    below.length > 0
      ? `; below the ${(bar * 100).toFixed(0)}% acceptance bar: ${below.map((f) => f.model).join(', ')}`
      : '';
  return {
    category,
    chosen: best.model,
    reason: 'lowest-expected-cost',
    detail: `${best.model}: ${money(best.expectedCostPerAcceptedMicros)} per accepted pass (${money(best.costPerPassMicros)} per pass at ${(best.acceptance * 100).toFixed(0)}% acceptance)${versus}${excluded}`,
    candidates: ranked,
  };
}

/** A small seeded PRNG (mulberry32) for deterministic routing in tests and benchmarks. */
export function seededRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
