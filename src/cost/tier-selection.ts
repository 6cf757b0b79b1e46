/**
 * Static tier selection for a pass (SPEC: Model tier and routing): start from
 * the agent's default tier, move it by the work item's complexity and the mode,
 * let a workflow or gate pin it, escalate one tier per failed gate, and send
 * local-eligible passes to a local model when the chosen tier is cheap enough
 * (up to economy normally, up to standard when budgets are tight).
 */
import type { Mode, WorkItemType } from '../core/index.ts';

/** The paid tiers, cheapest first; `local` is a side lane chosen by eligibility, not by ladder. */
export const TIER_LADDER = ['economy', 'standard', 'frontier'] as const;
export const LOCAL_TIER = 'local';

export interface ComplexitySignals {
  type?: WorkItemType;
  filesTouched?: number;
  packagesTouched?: number;
  reposTouched?: number;
  contractsTouched?: number;
  labels?: readonly string[];
}

export type BudgetPressure = 'none' | 'approaching' | 'at-limit';

export interface TierRequest {
  agentDefaultTier: string;
  signals?: ComplexitySignals;
  mode?: Mode;
  /** A tier fixed by the workflow or the gate; complexity and mode no longer move it. */
  pin?: { tier: string; by: 'workflow' | 'gate' };
  /** Gates of this pass that failed so far; each escalates one tier. */
  failedGates?: number;
  localEligible?: boolean;
  localAvailable?: boolean;
  budgetPressure?: BudgetPressure;
  /** The tier ladder, cheapest first (keel.yaml may declare more); default economy→frontier. */
  ladder?: readonly string[];
}

export interface TierChoice {
  tier: string;
  /** One line per rule that applied, in order: the explanation shown by `keel route explain`. */
  steps: string[];
}

const HIGH_RISK: readonly WorkItemType[] = ['incident', 'security'];
const LOW_RISK: readonly WorkItemType[] = ['docs', 'chore', 'config'];
const HARD_LABELS = ['complex', 'cross-cutting', 'architecture'];
const EASY_LABELS = ['trivial', 'small', 'typo'];

/** Complexity score of a work item: each signal adds or removes one; reasons listed. */
export function complexityScore(s: ComplexitySignals): { score: number; reasons: string[] } {
  const reasons: string[] = [];
  let score = 0;
  const add = (n: number, why: string) => {
    score += n;
    reasons.push(`${n > 0 ? '+' : ''}${n} ${why}`);
  };
  if (s.type && HIGH_RISK.includes(s.type)) add(1, `${s.type} work`);
  if (s.type && LOW_RISK.includes(s.type)) add(-1, `${s.type} work`);
  if ((s.reposTouched ?? 1) >= 2) add(1, `${s.reposTouched} repositories touched`);
  if ((s.contractsTouched ?? 0) >= 1) add(1, `${s.contractsTouched} contract(s) touched`);
  if ((s.packagesTouched ?? 0) >= 3) add(1, `${s.packagesTouched} packages touched`);
  if ((s.filesTouched ?? 0) >= 20) add(1, `${s.filesTouched} files touched`);
  const labels = (s.labels ?? []).map((l) => l.toLowerCase());
  const hard = labels.find((l) => HARD_LABELS.includes(l));
  const easy = labels.find((l) => EASY_LABELS.includes(l));
  if (hard) add(1, `label ${hard}`);
  if (easy) add(-1, `label ${easy}`);
  return { score, reasons };
}

/** Chooses the tier of one pass, with the reason for each move. */
export function selectTier(req: TierRequest): TierChoice {
  const ladder = req.ladder ?? TIER_LADDER;
  const steps: string[] = [];
  const clamp = (i: number) => Math.max(0, Math.min(ladder.length - 1, i));
  const name = (i: number) => ladder[clamp(i)] ?? ladder[0] ?? 'standard';
  let index: number;
  const localDefault = req.agentDefaultTier === LOCAL_TIER;
  if (req.pin) {
    index = ladder.indexOf(req.pin.tier);
    if (index < 0 && req.pin.tier !== LOCAL_TIER) {
      throw new RangeError(`pinned tier ${req.pin.tier} is not one of ${ladder.join(', ')}`);
    }
    if (req.pin.tier === LOCAL_TIER && !req.failedGates) {
      steps.push(`pinned to local by the ${req.pin.by}`);
      return { tier: LOCAL_TIER, steps };
    }
    index = Math.max(0, index);
    steps.push(`pinned to ${name(index)} by the ${req.pin.by}`);
  } else {
    index = localDefault ? 0 : ladder.indexOf(req.agentDefaultTier);
    if (index < 0)
      throw new RangeError(`agent tier ${req.agentDefaultTier} is not one of ${ladder.join(', ')}`);
    steps.push(
      localDefault
        ? `agent default tier local, ${name(index)} when no local model takes the pass`
        : `agent default tier ${req.agentDefaultTier}`,
    );
    if (req.signals) {
      const { score, reasons } = complexityScore(req.signals);
      const shift = Math.max(-1, Math.min(2, score));
      if (shift !== 0) {
        index = clamp(index + shift);
        steps.push(
          `complexity ${score} (${reasons.join(', ')}): ${shift > 0 ? 'up' : 'down'} to ${name(index)}`,
        );
      }
    }
    if (req.mode === 'fast' || req.mode === 'thorough') {
      index = clamp(index + (req.mode === 'fast' ? -1 : 1));
      steps.push(`${req.mode} mode: ${name(index)}`);
    }
  }
  if (req.failedGates && req.failedGates > 0) {
    index = clamp(index + req.failedGates);
    steps.push(`${req.failedGates} failed gate(s): escalated to ${name(index)}`);
    return { tier: name(index), steps };
  }
  if (req.localEligible && req.localAvailable && !req.pin) {
    const tight = req.budgetPressure !== undefined && req.budgetPressure !== 'none';
    const ceiling = ladder.indexOf(tight ? 'standard' : 'economy');
    if (localDefault || index <= ceiling) {
      steps.push(
        `local-eligible pass at ${name(index)}${tight ? ` with budgets ${req.budgetPressure}` : ''}: local model preferred`,
      );
      return { tier: LOCAL_TIER, steps };
    }
  }
  return { tier: name(index), steps };
}
