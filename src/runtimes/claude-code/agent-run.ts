/**
 * What a coding-agent CLI run produces once parsed, whichever CLI ran it: live
 * events for progress, a summary for accounting, and a typed failure for the
 * engine's escalation. Shared by the Claude Code and Codex runtimes.
 */
import { KeelError, type TokenUsage } from '../../core/index.ts';

/** Every way a CLI run can fail, as the engine's escalation sees it. */
export const AGENT_FAILURE_KINDS = [
  'max_turns',
  'max_budget',
  'execution_error',
  'nonzero_exit',
  'timeout',
  'aborted',
  'malformed_output',
  'crashed',
  'permission_denied',
  'auth',
  'rate_limit',
] as const;
export type AgentFailureKind = (typeof AGENT_FAILURE_KINDS)[number];

/**
 * Whether running the same thing again may succeed. Limits, refusals and bad
 * credentials repeat identically; transient faults (a crash, a timeout, a
 * provider error, a rate limit) often do not.
 */
const RETRYABLE: Readonly<Record<AgentFailureKind, boolean>> = {
  max_turns: false,
  max_budget: false,
  execution_error: true,
  nonzero_exit: false,
  timeout: true,
  aborted: false,
  malformed_output: true,
  crashed: true,
  permission_denied: false,
  auth: false,
  rate_limit: true,
};

const HINTS: Readonly<Record<AgentFailureKind, string>> = {
  max_turns: 'raise the agent’s max turns, or split the task',
  max_budget: 'raise the run’s budget, or split the task',
  execution_error: 'read the message; retrying may help if the provider failed',
  nonzero_exit: 'run the same command by hand to see why the CLI refused to start',
  timeout: 'raise the runtime timeout, or give the agent a smaller task',
  aborted: 'the run was cancelled on purpose',
  malformed_output: 'check the CLI version: its output did not follow the expected format',
  crashed: 'the CLI stopped without a result; retry, and check its stderr',
  permission_denied: 'allow the tool (allowed tools / permission mode / sandbox) in the agent',
  auth: 'log the CLI in, or set its API key in the environment',
  rate_limit: 'wait for the provider’s limit to reset, or lower concurrency',
};

/** Whether a failure of this kind may succeed on a plain retry. */
export function isRetryableKind(kind: AgentFailureKind): boolean {
  return RETRYABLE[kind];
}

/** A file the agent created, changed or deleted, as the CLI reported it. */
export interface AgentFileChange {
  path: string;
  /** `write` when the CLI does not say whether the file existed (Claude's Write tool). */
  kind: 'add' | 'update' | 'delete' | 'write';
}

/** Token usage of one model during a run (one record per model used). */
export interface AgentCallRecord {
  model: string;
  usage: TokenUsage;
  /** Cost the CLI itself reported for this model, when it does (Claude Code). */
  reportedCostUsd?: number;
}

/** The end of a run, parsed: who, how it went, what it consumed. */
export interface AgentRunSummary {
  cli: 'claude-code' | 'codex';
  sessionId: string | undefined;
  outcome: 'success' | 'error';
  failure?: { kind: AgentFailureKind; message: string };
  numTurns: number;
  durationMs: number;
  /** Total cost as reported by the CLI (Claude Code only); keel prices calls itself. */
  reportedCostUsd?: number;
  calls: AgentCallRecord[];
  filesChanged?: AgentFileChange[];
  /** The agent's final message. */
  result: string;
  /** Tools the CLI refused to run, by name. */
  permissionDenials?: string[];
  /** Codex only: how its usage was read, and the thread's totals to pass as the baseline of a resume. */
  codex?: { usageReporting: 'per-turn' | 'cumulative'; threadTotals: CodexUsageCounts };
}

/** Codex's usage counts as it reports them (cached and cache-write tokens inside `inputTokens`). */
export interface CodexUsageCounts {
  inputTokens: number;
  cachedInputTokens: number;
  cacheWriteInputTokens: number;
  outputTokens: number;
  reasoningOutputTokens: number;
}

/** Normalised live events, for progress display while a run streams. */
export type AgentEvent =
  | { type: 'session'; sessionId: string; model?: string; tools?: string[] }
  | { type: 'turn'; index: number }
  | { type: 'message'; text: string }
  | { type: 'thinking'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: unknown }
  | { type: 'tool_result'; id: string; isError: boolean }
  | { type: 'file_change'; path: string; kind: AgentFileChange['kind'] }
  | { type: 'command'; command: string; status: string; exitCode?: number }
  | { type: 'usage'; model?: string; usage: TokenUsage }
  | { type: 'warning'; message: string }
  | { type: 'result'; outcome: 'success' | 'error' };

/** A parser of one CLI's stdout, fed chunk by chunk. */
export interface AgentStreamParser {
  /** Consumes a chunk of stdout (lines may be split across chunks) and returns the events it completed. */
  push(chunk: string | Uint8Array): AgentEvent[];
  /**
   * Ends the stream. Returns the summary of a successful run, or throws an
   * `AgentRunError` (carrying the partial summary) for every failure.
   */
  finish(exit?: ProcessExit): AgentRunSummary;
}

/** How the CLI process ended; absent when parsing a recording. */
export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The tail of stderr, for messages. */
  stderr?: string;
}

export interface AgentRunErrorOptions {
  cause?: unknown;
  /** What was parsed before the failure, so the tokens spent are still accounted for. */
  partial?: AgentRunSummary;
  retryable?: boolean;
}

/** A coding-agent CLI run that did not succeed, typed for escalation. */
export class AgentRunError extends KeelError {
  override readonly code = 'AGENT_RUN';
  readonly kind: AgentFailureKind;
  readonly partial: AgentRunSummary | undefined;

  constructor(kind: AgentFailureKind, message: string, options: AgentRunErrorOptions = {}) {
    super(message, {
      hint: HINTS[kind],
      cause: options.cause,
      retryable: options.retryable ?? RETRYABLE[kind],
    });
    this.kind = kind;
    this.partial = options.partial;
  }
}
