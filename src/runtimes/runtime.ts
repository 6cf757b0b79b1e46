/**
 * The runtime interface every runtime implements, and its typed failure. Kept free of the ledger: calls are handed to `ctx.onCall`
 * as they happen, so the engine records each one before the next is made.
 */
import type { TokenUsage } from '../core/index.ts';
import { KeelError } from '../core/index.ts';
import type { Agent, PlannedPass } from '../definitions/index.ts';
import type { ProviderConfig, RetryPolicy } from './model-client/index.ts';

/** The model an attempt runs on, chosen by the engine from the tier. */
export interface ModelTarget {
  provider: ProviderConfig & { name: string };
  model: string;
}

/** One model call as a runtime reports it; the engine adds ids, attribution and cost. */
export interface ModelCallRecord {
  purpose: 'pass' | 'review';
  gate?: string;
  provider: string;
  model: string;
  outcome: 'succeeded' | 'failed';
  error?: string;
  usage: TokenUsage;
  latencyMs: number;
  retries: { error: string; delayMs: number; status: number | null }[];
  promptHash: string;
  response: string;
  reusedFrom?: string;
  /** The cost the tool itself reported for this call (Claude Code), kept beside keel's own figure. */
  reportedCostUsd?: number;
}

/** A coding-agent CLI session an attempt started or continued, recorded so a later attempt can resume it. */
export interface AgentSession {
  /** The CLI: `claude-code` or `codex`. */
  tool: string;
  sessionId: string;
  /** Codex only: the thread's usage totals already accounted for, the baseline of a resume. */
  usageTotals?: Record<string, number>;
}

/** A live step of a coding agent, for progress display (never recorded in the ledger). */
export interface RuntimeProgress {
  kind: 'session' | 'turn' | 'tool_use' | 'file_change' | 'command' | 'message' | 'warning';
  text: string;
}

export interface RuntimeOutput {
  /** The declared output name, e.g. `spec.md`. */
  name: string;
  content: string;
}

/** Everything a runtime may use to do one attempt of a pass. */
export interface PassContext {
  itemId: string;
  item: { title: string; body: string; type: string };
  pass: PlannedPass;
  agent: Agent;
  attempt: number;
  generationId: string;
  tier: string;
  /** Undefined for runtimes that call no model (command, human). */
  target: ModelTarget | undefined;
  /** Findings of the gate (or failure) that sent the pass back, for rework. */
  findings: string[];
  /** Absolute path of the work item's git worktree. */
  worktree: string;
  /** The pass's input artifacts, read from the worktree. */
  inputs: RuntimeOutput[];
  /** The agent's declared context files (bounded), read from the worktree. */
  contextFiles: { path: string; content: string }[];
  /** For a human pass: the person's decision and note. */
  approval?: { by: string; note: string; decision: 'approved' | 'rejected' };
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
  /** keel-side retries of each model call (the default policy when absent). */
  retry?: Partial<RetryPolicy>;
  /** Records a model call now (before the next one), so a crash never loses it. */
  onCall(call: ModelCallRecord): Promise<void>;
  /** A recorded answer to the same prompt from an interrupted attempt, to reuse instead of paying again. */
  findReusable(hash: string): { callId: string; response: string } | undefined;
  /** Coding agents: the session of an interrupted earlier attempt of this pass, to continue instead of starting over. */
  resumeSession?: AgentSession;
  /** Coding agents: records the session as soon as the CLI names it, so an interruption can resume it. */
  onSession?(session: AgentSession): Promise<void>;
  /** Coding agents: live steps (turns, tool uses, file edits) as the CLI streams them. */
  onProgress?(progress: RuntimeProgress): void;
  /** Coding agents: the CLI command per runtime kind from keel.yaml `runtimes:` (env overrides win). */
  cliCommands?: Partial<Record<'claude-code' | 'codex', string[]>>;
}

export interface RuntimeResult {
  outputs: RuntimeOutput[];
  calls: ModelCallRecord[];
  /** A `Name <email>` for the commit's `Co-authored-by:` trailer: the tool that wrote the change. */
  coAuthor?: string;
}

export interface Runtime {
  readonly kind: string;
  execute(ctx: PassContext): Promise<RuntimeResult>;
}

export type RuntimeFailureKind = 'infrastructure' | 'output' | 'rejected';

/** An attempt that could not do its work: the engine records it and retries or fails the pass. */
export class RuntimeFailure extends KeelError {
  override readonly code = 'RUNTIME_FAILURE';
  readonly kind: RuntimeFailureKind;
  readonly findings: string[];

  constructor(
    kind: RuntimeFailureKind,
    message: string,
    options: { findings?: string[]; hint?: string; cause?: unknown } = {},
  ) {
    super(message, { hint: options.hint, cause: options.cause });
    this.kind = kind;
    this.findings = options.findings ?? [message];
  }
}
