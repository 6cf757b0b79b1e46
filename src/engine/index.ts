/**
 * The engine: drives work items through their workflow's passes — attempts
 * by each agent's runtime, gates, rework and escalation, checkpoints and
 * approvals — with the ledger as its only state, so it resumes after a crash.
 */
export { type Decision, decideApproval, listPending, type PendingApproval } from './approvals.ts';
export { buildItemPlan, type ItemPlan } from './build-plan.ts';
export {
  type Action,
  approvalIdFor,
  decide,
  type GatePlan,
  MAX_FAILED_ATTEMPTS,
  nextStep,
  type PassPlan,
  type RunPlan,
  tierAbove,
} from './decide.ts';
export {
  adaptStarterForDemo,
  DEMO_AGENT_SCENARIO_FILE,
  DEMO_FEATURE,
  DEMO_SCENARIO_FILE,
  SIM_CLAUDE_BIN,
  writeDemoApp,
} from './demo/index.ts';
export * from './events.ts';
export { newGenerationId } from './ids.ts';
export { acquireEngineLock, EngineLockedError, lockPath } from './lock.ts';
export { describeEvent } from './progress.ts';
export { chooseTarget } from './routing.ts';
export { type RunOptions, type RunResult, runWorkItems } from './run-loop.ts';
export {
  type ApprovalRun,
  type AttemptRun,
  type PassRun,
  projectRun,
  type RunState,
} from './run-state.ts';
export { type ItemSummary, type PassSummary, summarizeRun } from './summary.ts';
