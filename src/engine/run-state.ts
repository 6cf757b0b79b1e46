/**
 * The state of one work item's run, projected from its ledger events alone.
 * Pure: the engine decides from this and nothing else, so a restarted
 * orchestrator sees exactly what the crashed one had recorded.
 */
import type { RecordedEvent } from '../workitems/index.ts';
import {
  AGENT_SESSION_RECORDED,
  type AgentSessionRecorded,
  APPROVAL_DECIDED,
  APPROVAL_REQUESTED,
  type ApprovalDecided,
  type ApprovalRequested,
  ATTEMPT_FINISHED,
  ATTEMPT_STARTED,
  type AttemptFinished,
  type AttemptStarted,
  ESCALATION_APPLIED,
  type EscalationApplied,
  GATE_DECIDED,
  type GateDecided,
  MODEL_CALL_RECORDED,
  type ModelCallRecorded,
  PASS_COMPLETED,
  type PassCompleted,
  WORK_ITEM_COMPLETED,
  type WorkItemCompleted,
} from './events.ts';

export interface AttemptRun {
  started: AttemptStarted;
  finished: AttemptFinished | undefined;
  /** Gate decisions for this attempt, by gate id. */
  gates: Map<string, GateDecided>;
  /** Escalation steps applied after this attempt, by gate id. */
  escalations: Map<string, EscalationApplied>;
  calls: ModelCallRecorded[];
  /** The coding-agent session this attempt ran in (the latest record of it), for a resume. */
  session?: AgentSessionRecorded;
}

export interface ApprovalRun {
  request: ApprovalRequested;
  decision: ApprovalDecided | undefined;
}

export interface PassRun {
  id: string;
  attempts: AttemptRun[];
  completed: PassCompleted | undefined;
}

export interface RunState {
  itemId: string;
  passes: Map<string, PassRun>;
  approvals: Map<string, ApprovalRun>;
  completed: WorkItemCompleted | undefined;
}

/** Projects the run of one work item from its events, in ledger order. */
export function projectRun(itemId: string, events: readonly RecordedEvent[]): RunState {
  const state: RunState = { itemId, passes: new Map(), approvals: new Map(), completed: undefined };
  const pass = (id: string): PassRun => {
    let run = state.passes.get(id);
    if (!run) {
      run = { id, attempts: [], completed: undefined };
      state.passes.set(id, run);
    }
    return run;
  };
  const attempt = (passId: string, n: number): AttemptRun | undefined =>
    pass(passId).attempts.find((a) => a.started.attempt === n);

  for (const event of events) {
    if (event.workItemId !== itemId) continue;
    switch (event.type) {
      case ATTEMPT_STARTED: {
        const d = event.data as AttemptStarted;
        if (attempt(d.pass, d.attempt)) break;
        pass(d.pass).attempts.push({
          started: d,
          finished: undefined,
          gates: new Map(),
          escalations: new Map(),
          calls: [],
        });
        break;
      }
      case ATTEMPT_FINISHED: {
        const d = event.data as AttemptFinished;
        const a = attempt(d.pass, d.attempt);
        if (a && !a.finished) a.finished = d;
        break;
      }
      case MODEL_CALL_RECORDED: {
        const d = event.data as ModelCallRecorded;
        attempt(d.pass, d.attempt)?.calls.push(d);
        break;
      }
      case AGENT_SESSION_RECORDED: {
        const d = event.data as AgentSessionRecorded;
        const a = attempt(d.pass, d.attempt);
        if (a) a.session = d;
        break;
      }
      case GATE_DECIDED: {
        const d = event.data as GateDecided;
        const a = attempt(d.pass, d.attempt);
        if (a && !a.gates.has(d.gate)) a.gates.set(d.gate, d);
        break;
      }
      case ESCALATION_APPLIED: {
        const d = event.data as EscalationApplied;
        const a = attempt(d.pass, d.attempt);
        if (a && !a.escalations.has(d.gate)) a.escalations.set(d.gate, d);
        break;
      }
      case APPROVAL_REQUESTED: {
        const d = event.data as ApprovalRequested;
        if (!state.approvals.has(d.approvalId))
          state.approvals.set(d.approvalId, { request: d, decision: undefined });
        break;
      }
      case APPROVAL_DECIDED: {
        const d = event.data as ApprovalDecided;
        const a = state.approvals.get(d.approvalId);
        if (a && !a.decision) a.decision = d;
        break;
      }
      case PASS_COMPLETED: {
        const d = event.data as PassCompleted;
        const p = pass(d.pass);
        p.completed ??= d;
        break;
      }
      case WORK_ITEM_COMPLETED:
        state.completed ??= event.data as WorkItemCompleted;
        break;
    }
  }
  return state;
}

/** How many times `step` (by index) of `gate`'s ladder was used on a pass, over all its attempts. */
export function stepUses(run: PassRun | undefined, gate: string, stepIndex: number): number {
  let used = 0;
  for (const a of run?.attempts ?? []) {
    const e = a.escalations.get(gate);
    if (e && e.stepIndex === stepIndex) used++;
  }
  return used;
}
