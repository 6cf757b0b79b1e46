/**
 * The closed vocabularies of keel's domain model. Each `as const` list defines
 * the allowed values and the union type at once; validators reuse the lists.
 */

export const WORK_ITEM_TYPES = [
  'feature',
  'bug',
  'incident',
  'security',
  'refactor',
  'docs',
  'config',
  'chore',
] as const;
export type WorkItemType = (typeof WORK_ITEM_TYPES)[number];

/** P0 is the most urgent. */
export const PRIORITIES = ['P0', 'P1', 'P2', 'P3'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const MODES = ['fast', 'balanced', 'thorough'] as const;
export type Mode = (typeof MODES)[number];

export const AGENT_CATEGORIES = [
  'analyst',
  'architect',
  'specifier',
  'implementer',
  'verifier',
  'deployer',
  'monitor',
  'documenter',
  'diagnostician',
  'product',
  'design',
  'qa',
  'writer',
  'program',
] as const;
export type AgentCategory = (typeof AGENT_CATEGORIES)[number];

export const RUNTIMES = ['llm', 'claude-code', 'codex', 'command', 'human'] as const;
export type RuntimeKind = (typeof RUNTIMES)[number];

/** Built-in model tiers, cheapest first; keel.yaml may declare more. */
export const DEFAULT_TIERS = ['local', 'economy', 'standard', 'frontier'] as const;
export type DefaultTier = (typeof DEFAULT_TIERS)[number];
