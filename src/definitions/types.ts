/**
 * The resolved definitions: what the engine, scheduler and cost modules use.
 * Produced once from validated files — references linked to their objects,
 * defaults filled, durations in milliseconds, runtimes always objects — and
 * then trusted. Field names are camelCase; the files' snake_case types are the
 * zod-inferred `*File` types in `schemas/`.
 */
import type { AgentCategory, RuntimeKind, SourceLocation, WorkItemType } from '../core/index.ts';
import type {
  BUDGET_PERIODS,
  BUDGET_SCOPES,
  CLAUDE_PERMISSION_MODES,
  CODEX_SANDBOXES,
  PROVIDER_KINDS,
  RESERVATION_MODES,
  RESOURCE_KINDS,
} from './schemas/index.ts';

export type EscalationStep =
  | { kind: 'rework'; max: number }
  | { kind: 'escalate-tier'; max: number }
  | { kind: 'human'; role: string }
  | { kind: 'abort' };

export type Runtime =
  | { kind: 'llm'; timeoutMs: number | undefined }
  | {
      kind: 'claude-code';
      maxTurns: number | undefined;
      allowedTools: string[];
      disallowedTools: string[];
      permissionMode: (typeof CLAUDE_PERMISSION_MODES)[number] | undefined;
      timeoutMs: number | undefined;
    }
  | {
      kind: 'codex';
      sandbox: (typeof CODEX_SANDBOXES)[number] | undefined;
      timeoutMs: number | undefined;
    }
  | { kind: 'command'; run: string[]; timeoutMs: number | undefined }
  | { kind: 'human'; timeoutMs: number | undefined };

export interface Agent {
  name: string;
  version: number;
  category: AgentCategory;
  description: string;
  capabilities: string[];
  context: { paths: string[]; artifacts: string[] };
  access: { write: string[]; resources: string[] };
  runtime: Runtime;
  /** Default model tier; undefined means the project's default tier. */
  tier: string | undefined;
  /** Default `on_fail` for gates on this agent's passes. */
  escalation: EscalationStep[] | undefined;
  /** The markdown body. */
  instructions: string;
  source: SourceLocation;
}

export interface Role {
  name: string;
  members: string[];
}

export type Check =
  | { kind: 'command'; run: string[]; timeoutMs: number | undefined }
  | { kind: 'review'; agent: Agent; criteria: string[] }
  | { kind: 'human'; role: Role; criteria: string[] }
  | { kind: 'all_of' | 'any_of'; members: Check[] };

export interface Gate {
  id: string;
  check: Check;
  /** The escalation ladder: the gate's own, else the pass agent's, else the default. */
  onFail: EscalationStep[];
  optional: boolean;
  source: SourceLocation;
}

export interface ResourceRequest {
  id: string;
  mode: (typeof RESERVATION_MODES)[number];
}

export interface Checkpoint {
  id: string;
  actions: string[];
  approver: Role;
}

export interface Pass {
  id: string;
  agent: Agent;
  description: string;
  needs: string[];
  inputs: string[];
  outputs: string[];
  actions: string[];
  resources: ResourceRequest[];
  /** Modes this pass runs in; undefined means every mode. */
  modes: string[] | undefined;
  /** Pinned tier (not moved by modes); undefined means the agent's or the project's default. */
  tier: string | undefined;
  gates: Gate[];
  /** Checkpoints whose actions this pass declares: each needs its approver before the pass runs. */
  checkpoints: Checkpoint[];
  source: SourceLocation;
}

export interface WorkflowMode {
  name: string;
  tierShift: number;
  skipGates: string[];
  addGates: string[];
}

export interface Workflow {
  name: string;
  version: number;
  description: string;
  file: string;
  selects: { types: WorkItemType[]; labels: string[]; priority: number };
  defaultMode: string;
  modes: Record<string, WorkflowMode>;
  passes: Pass[];
  /** The project's tiers, cheapest first, and its default tier: what tier shifts move along. */
  tiers: string[];
  defaultTier: string;
  source: SourceLocation;
}

export interface Provider {
  name: string;
  kind: (typeof PROVIDER_KINDS)[number];
  apiKeyEnv: string | undefined;
  baseUrl: string | undefined;
}

export interface ModelRates {
  input: number;
  output: number;
  cacheRead: number | undefined;
  cacheWrite: number | undefined;
  cacheWrite1h: number | undefined;
  reasoning: number | undefined;
}

/** USD per million tokens; amortised hardware cost becomes one flat rate for every token. */
export interface ModelPrice extends ModelRates {
  longContext: { aboveTokens: number; rates: ModelRates } | undefined;
  amortised: { usdPerHour: number; tokensPerHour: number } | undefined;
}

export interface Model {
  id: string;
  provider: string;
  aliases: string[];
  /** Undefined: the built-in catalog's tier (a model it lacks needs one). */
  tier: string | undefined;
  contextWindow: number | undefined;
  local: boolean | undefined;
  /** Undefined: the model is unpriced (never $0) unless the catalog prices it. */
  price: ModelPrice | undefined;
  /** First UTC day (YYYY-MM-DD) the price applies; undefined: always. */
  effective: string | undefined;
  source: string | undefined;
}

/** How budgets and forecasts act on dispatch (keel.yaml `cost:`). */
export interface CostPolicy {
  /** Env var holding the URL budget notices are POSTed to. */
  webhookUrlEnv: string | undefined;
  forecastApprovalAboveUsd: number | undefined;
  deferOverBudget: boolean;
}

export interface Budget {
  id: string;
  scope: (typeof BUDGET_SCOPES)[number];
  /** The org/team/project name (filled from keel.yaml when omitted) or engineer handle; undefined: each item/engineer. */
  target: string | undefined;
  period: (typeof BUDGET_PERIODS)[number];
  limitUsd: number;
  approachingAt: number;
  hardCap: boolean;
  owner: string | undefined;
  /** At the limit, a dispatch estimated above this waits for an approval; absent: 0. */
  approvalAboveUsd?: number;
}

export interface Resource {
  id: string;
  kind: (typeof RESOURCE_KINDS)[number];
  parent: string | undefined;
  children: Resource[];
  rateLimit: { requests: number; perMs: number } | undefined;
  capacity: number | undefined;
}

export interface Pool {
  id: string;
  slots: number;
  labels: string[];
  runtimes: RuntimeKind[];
}

export interface Targets {
  cycleTimeHours: number | undefined;
  reworkRate: number | undefined;
  waitStateRatio: number | undefined;
  costPerFeatureUsd: number | undefined;
  aiAcceptanceRate: number | undefined;
}

export type StoreConfig =
  | { driver: 'sqlite'; path: string }
  | { driver: 'postgres'; urlEnv: string };

export interface KeelConfig {
  version: 1;
  org: string;
  team: string;
  project: string;
  store: StoreConfig;
  providers: Record<string, Provider>;
  tiers: string[];
  models: Model[];
  routing: { defaultTier: string; preferLocal: boolean };
  roles: Record<string, Role>;
  budgets: Budget[];
  cost: CostPolicy;
  /** Resource roots with their children. */
  resources: Resource[];
  pools: Pool[];
  checkpoints: Checkpoint[];
  targets: Targets;
  /** Where the coding-agent CLIs come from (keel.yaml `runtimes:`); absent means their usual names on PATH. */
  runtimes?: { claudeCode?: { command: string[] }; codex?: { command: string[] } };
}

/** Everything under `.keel/`, resolved. */
export interface Definitions {
  /** Absolute path of the repository root the definitions were read from. */
  root: string;
  config: KeelConfig;
  /** Sorted by name. */
  workflows: Workflow[];
  /** Sorted by name. */
  agents: Agent[];
}
