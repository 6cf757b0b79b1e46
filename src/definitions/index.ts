/**
 * Definitions as code: the workflows, agents and settings under `.keel/`,
 * parsed with exact source positions, validated (schemas + cross-file rules),
 * and resolved into the model the rest of keel trusts.
 */
export { DURATION_PATTERN, parseDuration } from './duration.ts';
export { jsonSchemas, SCHEMA_FILES, type SchemaFileName } from './json-schema.ts';
export {
  ensureInitialized,
  findDefinitionsRoot,
  type LoadResult,
  loadDefinitions,
  requireDefinitions,
} from './load.ts';
export { type PlannedPass, planPasses, shiftTier } from './plan-passes.ts';
export { RULES, type RuleId } from './rule-ids.ts';
export type { AgentFrontmatter, KeelConfigFile, WorkflowFile } from './schemas/index.ts';
export { agentSchema, keelConfigSchema, workflowSchema } from './schemas/index.ts';
export {
  selectWorkflow,
  type WorkflowSelection,
  type WorkflowSummary,
  type WorkItemSelector,
} from './select-workflow.ts';
export {
  AGENTS_DIR,
  CONFIG_FILE,
  KEEL_DIR,
  WORKFLOWS_DIR,
} from './source/read-definition-files.ts';
export type * from './types.ts';
export { declaredModes, defaultModeOf } from './workflow-modes.ts';
