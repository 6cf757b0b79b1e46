/**
 * The events the engine writes to the ledger, with their payloads. Every
 * payload is plain JSON; each event is appended with an idempotency key (see
 * `keys`) so that re-appending after a crash is a no-op, never a duplicate.
 */
import type { TokenUsage } from '../core/index.ts';

export const ATTEMPT_STARTED = 'attempt.started';
export const ATTEMPT_FINISHED = 'attempt.finished';
export const MODEL_CALL_RECORDED = 'model_call.recorded';
export const ARTIFACT_WRITTEN = 'artifact.written';
export const GATE_DECIDED = 'gate.decided';
export const APPROVAL_REQUESTED = 'approval.requested';
export const APPROVAL_DECIDED = 'approval.decided';
export const WAIT_STARTED = 'wait.started';
export const WAIT_ENDED = 'wait.ended';
export const ESCALATION_APPLIED = 'escalation.applied';
export const PASS_COMPLETED = 'pass.completed';
export const WORK_ITEM_COMPLETED = 'work_item.completed';
/** A coding-agent CLI named its session: what an interrupted attempt resumes. */
export const AGENT_SESSION_RECORDED = 'agent_session.recorded';

/** Why an attempt was started. `retry` follows an attempt that failed without reaching its gates. */
export type AttemptReason = 'first' | 'rework' | 'escalate_tier' | 'after_interruption' | 'retry';

export interface AttemptStarted {
  pass: string;
  attempt: number;
  generationId: string;
  agent: string;
  runtime: string;
  tier: string;
  model: string | null;
  provider: string | null;
  reason: AttemptReason;
  findings: string[];
}

export type AttemptFailureKind = 'infrastructure' | 'access' | 'output' | 'rejected';

export interface AttemptFinished {
  pass: string;
  attempt: number;
  generationId: string;
  outcome: 'succeeded' | 'failed' | 'interrupted';
  findings: string[];
  error?: { kind: AttemptFailureKind; message: string };
  commit?: string | null;
}

export interface ModelCallRecorded {
  callId: string;
  generationId: string;
  pass: string;
  attempt: number;
  purpose: 'pass' | 'review';
  gate?: string;
  provider: string;
  model: string;
  /** `failed` when the provider still failed after keel's retries. */
  outcome: 'succeeded' | 'failed';
  error?: string;
  usage: TokenUsage;
  latencyMs: number;
  costUsd: number | null;
  priced: boolean;
  unpricedReason?: string;
  retries: { error: string; delayMs: number; status: number | null }[];
  promptHash: string;
  /** The answer, so a resumed run can reuse it instead of paying again. */
  response: string;
  /** Set when this record reuses an earlier call's answer (no new tokens spent). */
  reusedFrom?: string;
  /** The cost the tool itself reported (Claude Code), kept beside keel's `costUsd`. */
  reportedCostUsd?: number;
  /** Set when keel's cost and the reported one disagree beyond rounding. */
  reportedCostFlag?: string;
}

export interface AgentSessionRecorded {
  pass: string;
  attempt: number;
  generationId: string;
  /** The CLI: `claude-code` or `codex`. */
  tool: string;
  sessionId: string;
  /** Codex: the thread's usage totals already recorded, the baseline of a resume. */
  usageTotals?: Record<string, number>;
}

export interface ArtifactWritten {
  pass: string;
  attempt: number;
  generationId: string;
  path: string;
  sha256: string;
  bytes: number;
  commit: string | null;
}

export interface CriterionVerdict {
  criterion: string;
  passed: boolean;
  finding: string;
}

export interface GateDecided {
  pass: string;
  attempt: number;
  gate: string;
  kind: string;
  verdict: 'passed' | 'failed';
  criteria: CriterionVerdict[];
  findings: string[];
  decidedBy: string;
  logPath?: string;
}

/** What an approval stands for: a checkpoint before a pass, a human gate, a human escalation step, or a human pass. */
export type ApprovalKind = 'checkpoint' | 'gate' | 'escalation' | 'work';

export interface ApprovalRequested {
  approvalId: string;
  kind: ApprovalKind;
  pass: string;
  attempt: number | null;
  gate?: string;
  checkpoint?: string;
  role: string;
  members: string[];
  reason: string;
}

export interface ApprovalDecided {
  approvalId: string;
  decision: 'approved' | 'rejected';
  by: string;
  note: string;
}

export interface EscalationApplied {
  pass: string;
  attempt: number;
  gate: string;
  step: 'rework' | 'escalate-tier' | 'human' | 'abort' | 'exhausted' | 'retry-exhausted';
  stepIndex: number;
  /** How many times this step has now been used for this pass and gate. */
  used: number;
  max: number | null;
}

export interface PassCompleted {
  pass: string;
  outcome: 'passed' | 'failed' | 'skipped';
  reason: string;
}

export interface WorkItemCompleted {
  outcome: 'done' | 'failed' | 'aborted';
  reason: string;
}

/** Idempotency keys of the engine's events: the same fact always gets the same key. */
export const keys = {
  attemptStarted: (item: string, pass: string, n: number) => `${item}/${pass}/${n}:started`,
  attemptFinished: (item: string, pass: string, n: number) => `${item}/${pass}/${n}:finished`,
  gateDecided: (item: string, pass: string, n: number, gate: string) =>
    `${item}/${pass}/${n}:gate:${gate}`,
  escalation: (item: string, pass: string, n: number, gate: string) =>
    `${item}/${pass}/${n}:escalation:${gate}`,
  passCompleted: (item: string, pass: string) => `${item}/${pass}:completed`,
  itemCompleted: (item: string) => `${item}:completed`,
  approvalRequested: (id: string) => `approval:${id}:requested`,
  approvalDecided: (id: string) => `approval:${id}:decided`,
  waitStarted: (id: string) => `approval:${id}:wait-started`,
  waitEnded: (id: string) => `approval:${id}:wait-ended`,
  modelCall: (generationId: string, n: number | string) => `${generationId}:call:${n}`,
  artifact: (generationId: string, path: string) => `${generationId}:artifact:${path}`,
  agentSession: (generationId: string, n: number) => `${generationId}:session:${n}`,
};
