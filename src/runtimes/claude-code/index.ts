/**
 * The Claude Code runtime's building blocks: its stream-json parser and argv
 * builder, plus the pieces every coding-agent CLI runtime shares (run summary,
 * typed failures, line splitting, the process runner).
 */
export * from './agent-run.ts';
export * from './claude-args.ts';
export {
  type ClaudeParserOptions,
  ClaudeStreamParser,
  claudeUsage,
  describeExit,
  stderrTail,
} from './claude-parser.ts';
export { CLAUDE_CO_AUTHOR, claudeCodeCli, claudeCodeRuntime } from './claude-runtime.ts';
export {
  classifyErrorText,
  count,
  excerpt,
  isObject,
  type JsonObject,
  parseJsonObject,
  text,
} from './json-line.ts';
export { LineSplitter } from './line-splitter.ts';
export { type RunAgentCliOptions, runAgentCli } from './run-agent-cli.ts';
