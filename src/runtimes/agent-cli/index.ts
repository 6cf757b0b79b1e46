/**
 * What the coding-agent runtimes (Claude Code, Codex) share: where the CLI
 * comes from, the prompt, reading the declared outputs back, the failure
 * mapping onto the engine's kinds, and the attempt runner itself.
 */
export {
  COMMAND_ENV,
  type CodingAgentTool,
  parseCommandOverride,
  resolveCliCommand,
} from './cli-command.ts';
export { buildCodingPrompt, type CodingPromptOptions } from './coding-prompt.ts';
export { collectOutputs } from './collect-outputs.ts';
export { assertCodingAgentsAvailable, findExecutable } from './preflight.ts';
export {
  type CodingAgentCli,
  DEFAULT_AGENT_TIMEOUT_MS,
  runCodingAgent,
} from './run-coding-agent.ts';
export { engineKindOf, toRuntimeFailure } from './runtime-failure.ts';
