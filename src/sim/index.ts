/** The wind tunnel: high-fidelity local fakes of keel's external dependencies, for tests and demos. */

export {
  DEFAULT_SCENARIO as DEFAULT_AGENT_SCENARIO,
  loadScenarioFile as loadAgentScenario,
  parseScenario as parseAgentScenario,
  quietOnClosedPipe,
  runClaudeSim,
  type SimIO,
  type SimRunOptions,
  type SimScenario as AgentScenario,
} from './claude-code/index.ts';
export { runCodexSim } from './codex/index.ts';
export {
  FAULT_KINDS,
  type FaultKind,
  loadScenario as loadModelApiScenario,
  type ModelApiSim,
  type ModelApiSimOptions,
  parseScenario as parseModelApiScenario,
  type Scenario as ModelApiScenario,
  ScenarioError as ModelApiScenarioError,
  type SimRequestRecord,
  startModelApiSim,
} from './model-api/index.ts';
