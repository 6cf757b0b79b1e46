/**
 * The end-of-run summary per work item: for each pass its state, attempts,
 * gate results in order, tokens and cost; and the totals. Pure, from the
 * projected run state.
 */
import { addUsage, emptyUsage, type TokenUsage, totalTokens } from '../core/index.ts';
import type { RunPlan } from './decide.ts';
import type { RunState } from './run-state.ts';

export interface PassSummary {
  pass: string;
  state: 'pending' | 'running' | 'waiting' | 'passed' | 'failed' | 'skipped';
  attempts: number;
  /** Each gate decision in order, e.g. `spec-review ✗` then `spec-review ✓`. */
  gates: { gate: string; attempt: number; verdict: 'passed' | 'failed' }[];
  usage: TokenUsage;
  tokens: number;
  costUsd: number;
  /** Calls whose cost is unknown (model missing from the catalog). */
  unpricedCalls: number;
  calls: number;
}

export interface ItemSummary {
  itemId: string;
  outcome: 'done' | 'failed' | 'aborted' | 'waiting' | 'running';
  reason: string;
  passes: PassSummary[];
  tokens: number;
  costUsd: number;
  unpricedCalls: number;
  waitingFor: string[];
}

/** Summarises one item's run. */
export function summarizeRun(state: RunState, plan: RunPlan): ItemSummary {
  const waitingFor = [...state.approvals.values()]
    .filter((a) => !a.decision)
    .map((a) => a.request.approvalId);
  const passes = plan.passes.map((p): PassSummary => {
    const run = state.passes.get(p.id);
    let usage = emptyUsage();
    let costUsd = 0;
    let unpricedCalls = 0;
    let calls = 0;
    const gates: PassSummary['gates'] = [];
    for (const a of run?.attempts ?? []) {
      for (const c of a.calls) {
        calls++;
        usage = addUsage(usage, c.usage);
        if (c.costUsd === null) unpricedCalls++;
        else costUsd += c.costUsd;
      }
      for (const g of a.gates.values())
        gates.push({ gate: g.gate, attempt: a.started.attempt, verdict: g.verdict });
    }
    const last = run?.attempts.at(-1);
    const waiting = waitingFor.some((id) => id.startsWith(`${state.itemId}/${p.id}/`));
    const passState: PassSummary['state'] = run?.completed
      ? run.completed.outcome
      : waiting
        ? 'waiting'
        : last
          ? 'running'
          : 'pending';
    return {
      pass: p.id,
      state: passState,
      attempts: run?.attempts.length ?? 0,
      gates,
      usage,
      tokens: totalTokens(usage),
      costUsd,
      unpricedCalls,
      calls,
    };
  });
  return {
    itemId: state.itemId,
    outcome: state.completed?.outcome ?? (waitingFor.length > 0 ? 'waiting' : 'running'),
    reason:
      state.completed?.reason ??
      (waitingFor.length > 0 ? `waiting for ${waitingFor.join(', ')}` : 'in progress'),
    passes,
    tokens: passes.reduce((s, p) => s + p.tokens, 0),
    costUsd: passes.reduce((s, p) => s + p.costUsd, 0),
    unpricedCalls: passes.reduce((s, p) => s + p.unpricedCalls, 0),
    waitingFor,
  };
}
