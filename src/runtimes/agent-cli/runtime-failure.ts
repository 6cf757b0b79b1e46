/**
 * Maps a coding-agent CLI's typed failure onto the engine's failure kinds:
 * limits and refusals are the agent's output falling short (a rework with
 * findings may help); crashes, hangs, garbled output, provider errors and a
 * CLI that would not start are infrastructure (retried as they are).
 */
import type { AgentFailureKind, AgentRunError } from '../claude-code/agent-run.ts';
import { RuntimeFailure, type RuntimeFailureKind } from '../runtime.ts';

const ENGINE_KIND: Readonly<Record<AgentFailureKind, RuntimeFailureKind>> = {
  max_turns: 'output',
  max_budget: 'output',
  permission_denied: 'output',
  execution_error: 'infrastructure',
  nonzero_exit: 'infrastructure',
  timeout: 'infrastructure',
  aborted: 'infrastructure',
  malformed_output: 'infrastructure',
  crashed: 'infrastructure',
  auth: 'infrastructure',
  rate_limit: 'infrastructure',
};

/** The engine's kind for a CLI failure kind. */
export function engineKindOf(kind: AgentFailureKind): RuntimeFailureKind {
  return ENGINE_KIND[kind];
}

/** What the next attempt is told about a failure, beside its message. */
function findingsOf(error: AgentRunError): string[] {
  switch (error.kind) {
    case 'max_turns':
      return [
        `${error.message}: make the smallest complete change first and stop exploring once the task is done`,
      ];
    case 'max_budget':
      return [`${error.message}: do less per run, starting with the change the task asks for`];
    case 'permission_denied':
      return [`${error.message}: do the task without those tools`];
    default:
      return [error.message];
  }
}

/** A `RuntimeFailure` carrying the CLI failure's kind in its message, for the ledger and the escalation. */
export function toRuntimeFailure(tool: string, error: AgentRunError): RuntimeFailure {
  return new RuntimeFailure(engineKindOf(error.kind), `${tool} ${error.kind}: ${error.message}`, {
    findings: findingsOf(error),
    hint: error.hint,
    cause: error,
  });
}
