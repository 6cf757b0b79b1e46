/** What `keel demo` sets up: its application, its starter-set adaptation and its wind-tunnel scenario. */
export {
  adaptStarterForDemo,
  DEMO_AGENT_SCENARIO_FILE,
  DEMO_FEATURE,
  DEMO_SCENARIO_FILE,
  SIM_CLAUDE_BIN,
  writeDemoApp,
} from './demo-app.ts';
