/** What `keel demo` sets up: its application, its starter-set adaptation and its wind-tunnel scenario. */
export { adaptStarterForDemo, DEMO_FEATURE, DEMO_SCENARIO_FILE, writeDemoApp } from './demo-app.ts';
