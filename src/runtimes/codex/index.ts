/** The Codex runtime's building blocks: its exec JSONL parser, usage rule and argv builder. */

export type { CodexUsageCounts } from '../claude-code/index.ts';
export * from './codex-args.ts';
export { type CodexParserOptions, CodexStreamParser } from './codex-parser.ts';
export { CODEX_CO_AUTHOR, codexCli, codexRuntime, codexVersion } from './codex-runtime.ts';
export * from './codex-usage.ts';
