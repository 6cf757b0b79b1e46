/**
 * Runtimes: how an agent's pass is executed. Every runtime takes a pass
 * context and returns the pass's outputs and the model calls it made, or
 * throws a `RuntimeFailure`. The engine owns the ledger, the workspace and
 * the gates; a runtime only does the work. Coding-agent CLIs (claude-code,
 * codex) plug in here as further entries of `runtimeFor`.
 */
export {
  assertCodingAgentsAvailable,
  COMMAND_ENV,
  type CodingAgentCli,
  type CodingAgentTool,
  resolveCliCommand,
  runCodingAgent,
} from './agent-cli/index.ts';
export { CLAUDE_CO_AUTHOR, claudeCodeRuntime } from './claude-code/index.ts';
export { CODEX_CO_AUTHOR, codexRuntime } from './codex/index.ts';
export { type ArgvResult, commandRuntime, runArgv } from './command/index.ts';
export { humanRuntime } from './human/index.ts';
export {
  artifactsSchema,
  buildPassPrompt,
  llmRuntime,
  promptHash,
  type RecordedCallOptions,
  recordedCall,
} from './llm/index.ts';
export type { ProviderConfig, RetryPolicy } from './model-client/index.ts';
export { runtimeFor } from './registry.ts';
export {
  type AgentSession,
  type ModelCallRecord,
  type ModelTarget,
  type PassContext,
  type Runtime,
  RuntimeFailure,
  type RuntimeFailureKind,
  type RuntimeOutput,
  type RuntimeProgress,
  type RuntimeResult,
} from './runtime.ts';
