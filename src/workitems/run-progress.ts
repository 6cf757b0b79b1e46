/**
 * The engine's events folded into a work item's view: pass states, attempts,
 * gate verdicts, model calls with tokens and cost, what waits for a person.
 * Reads the event payloads by shape (the engine imports this module, not the
 * other way round); documented in docs/engine.md.
 */
import type { RecordedEvent } from './events.ts';
import type { PassState } from './projection.ts';

export interface GateResultView {
  gate: string;
  attempt: number;
  verdict: string;
  findings: string[];
}

/** Per-pass engine progress, added to each pass of the view. */
export interface PassProgress {
  attempts: number;
  gateResults: GateResultView[];
  modelCalls: number;
  tokens: number;
  costUsd: number;
  unpricedCalls: number;
  waitingFor: string[];
  outcome: 'passed' | 'failed' | 'skipped' | null;
}

/** The item-level result of the engine's events. */
export interface RunProgress {
  passes: Map<string, PassProgress>;
  pendingApprovals: Map<string, string>;
  started: boolean;
  outcome: 'done' | 'failed' | 'aborted' | null;
  outcomeReason: string | null;
}

export function emptyProgress(): RunProgress {
  return {
    passes: new Map(),
    pendingApprovals: new Map(),
    started: false,
    outcome: null,
    outcomeReason: null,
  };
}

type Data = Record<string, unknown>;

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/** Folds one engine event into the progress; returns its timeline summary, or undefined for other events. */
export function applyRunEvent(progress: RunProgress, event: RecordedEvent): string | undefined {
  const d = (event.data ?? {}) as Data;
  const passId = typeof d.pass === 'string' ? d.pass : undefined;
  const pass = (): PassProgress => {
    const id = passId ?? '';
    let p = progress.passes.get(id);
    if (!p) {
      p = {
        attempts: 0,
        gateResults: [],
        modelCalls: 0,
        tokens: 0,
        costUsd: 0,
        unpricedCalls: 0,
        waitingFor: [],
        outcome: null,
      };
      progress.passes.set(id, p);
    }
    return p;
  };
  switch (event.type) {
    case 'attempt.started':
      progress.started = true;
      pass().attempts = Math.max(pass().attempts, num(d.attempt));
      return `${passId}: attempt ${num(d.attempt)} started (${String(d.reason)}; ${String(d.model ?? d.runtime)})`;
    case 'attempt.finished':
      return `${passId}: attempt ${num(d.attempt)} ${String(d.outcome)}`;
    case 'model_call.recorded': {
      const u = (d.usage ?? {}) as Data;
      const p = pass();
      p.modelCalls++;
      const tokens =
        num(u.inputTokens) + num(u.outputTokens) + num(u.cacheReadTokens) + num(u.cacheWriteTokens);
      p.tokens += tokens;
      const priced = d.costUsd !== null && d.costUsd !== undefined;
      if (priced) p.costUsd += num(d.costUsd);
      else p.unpricedCalls++;
      const cost = priced ? `$${num(d.costUsd).toFixed(4)}` : 'unpriced';
      const reused = d.reusedFrom ? ', reused from an interrupted attempt' : '';
      return `${passId}: ${String(d.purpose)} call to ${String(d.model)} (attempt ${num(d.attempt)}): ${tokens} tokens, ${cost}${reused}`;
    }
    case 'artifact.written':
      return `${passId}: wrote ${String(d.path)}`;
    case 'gate.decided':
      pass().gateResults.push({
        gate: String(d.gate),
        attempt: num(d.attempt),
        verdict: String(d.verdict),
        findings: Array.isArray(d.findings) ? d.findings.map(String) : [],
      });
      return `${passId}: gate ${String(d.gate)} ${String(d.verdict)}`;
    case 'escalation.applied':
      return `${passId}: gate ${String(d.gate)} failed, escalation: ${String(d.step)}`;
    case 'approval.requested':
      progress.pendingApprovals.set(String(d.approvalId), passId ?? '');
      pass().waitingFor.push(String(d.approvalId));
      return `${passId}: waiting for ${String(d.role)} (${String(d.approvalId)})`;
    case 'approval.decided': {
      const id = String(d.approvalId);
      const owner = progress.pendingApprovals.get(id);
      progress.pendingApprovals.delete(id);
      const p = owner !== undefined ? progress.passes.get(owner) : undefined;
      if (p) p.waitingFor = p.waitingFor.filter((w) => w !== id);
      return `${id} ${String(d.decision)} by ${String(d.by)}`;
    }
    case 'pass.completed':
      pass().outcome = d.outcome as PassProgress['outcome'];
      return `${passId}: ${String(d.outcome)} (${String(d.reason)})`;
    case 'work_item.completed':
      progress.outcome = d.outcome as RunProgress['outcome'];
      progress.outcomeReason = String(d.reason ?? '');
      return `${String(d.outcome)}: ${String(d.reason)}`;
    default:
      return undefined;
  }
}

/** The state of a pass from its progress and whether its needs are met. */
export function passStateOf(p: PassProgress | undefined, needsMet: boolean): PassState {
  if (p?.outcome) return p.outcome;
  if (p && p.waitingFor.length > 0) return 'waiting';
  if (p && p.attempts > 0) return 'running';
  return needsMet ? 'ready' : 'pending';
}
