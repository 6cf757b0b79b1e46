/** The model-API wind tunnel: a local fake of OpenAI (Chat Completions, Responses) and Anthropic Messages over their real HTTP protocols. */

export type { RequestFacts, SimApi, StructuredRequest } from './request-facts.ts';
export {
  loadScenario,
  parseScenario,
  ScenarioError,
  type ScenarioProblem,
} from './scenario-load.ts';
export {
  defaultAnswer,
  estimateTokens,
  type ResolvedReply,
  ruleMatches,
  ScenarioRunner,
} from './scenario-runner.ts';
export {
  FAULT_KINDS,
  type FaultKind,
  type ReplySpec,
  type RuleSpec,
  type Scenario,
  SIM_PROVIDERS,
  type SimProvider,
  scenarioSchema,
} from './scenario-schema.ts';
export {
  type ModelApiSim,
  type ModelApiSimOptions,
  type SimRequestRecord,
  startModelApiSim,
} from './server.ts';
