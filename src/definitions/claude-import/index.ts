/** Import of Claude Code subagent files (`.claude/agents/*.md`) as keel agents. */
export { type ImportProblem, SubagentFormatError } from './errors.ts';
export {
  type ImportedEntry,
  type ImportOptions,
  type ImportResult,
  importSubagents,
} from './import-agents.ts';
export {
  type ImportedAgent,
  inferCategory,
  inferWrite,
  type MappingNote,
  tierForModel,
  toKeelAgent,
} from './mapping.ts';
export { renderAgentFile } from './render.ts';
export { type ClaudeSubagent, parseSubagent, splitTools } from './subagent.ts';
