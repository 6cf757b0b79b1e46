/**
 * The Claude Code fake of keel's wind tunnel, and the scenario machinery both
 * coding-agent fakes share (format, loading, matching, sessions, file edits).
 */
export { runClaudeSim, type SimRunOptions } from './claude-sim.ts';
export { DEFAULT_SCENARIO } from './default-scenario.ts';
export { confine, deleteFile, editFile, writeFile } from './file-edits.ts';
export { processIO, quietOnClosedPipe } from './process-io.ts';
export { loadScenarioFile, parseScenario, resolveScenario } from './scenario-load.ts';
export {
  fillStep,
  fillTemplate,
  matchRule,
  type PromptFacts,
  readMarkers,
  slug,
  summarisePrompt,
  type TemplateValues,
} from './scenario-match.ts';
export * from './scenario-schema.ts';
export { SessionStore, type SimSession, simStateDir } from './session-store.ts';
export { faultStep, hangForever, pacer, planRun, type RunPlan, type SimIO } from './sim-io.ts';
export * from './token-meter.ts';
