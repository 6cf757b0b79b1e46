/**
 * Fixture of the coding-agent engine tests: the engine test harness with an
 * implementer agent on the claude-code or codex runtime, its command pointed at
 * keel's fake CLI through the env override, and a fake-agent scenario.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { featureRepo, type Harness, harness } from '../../engine/harness.ts';

export type Tool = 'claude-code' | 'codex';

const BIN: Record<Tool, string> = {
  'claude-code': resolve(import.meta.dirname, '../../../bin/keel-sim-claude.js'),
  codex: resolve(import.meta.dirname, '../../../bin/keel-sim-codex.js'),
};

/** The fake CLI as a command: this Node (24) running keel's executable. */
export function fakeCommand(tool: Tool): string[] {
  return [process.execPath, BIN[tool]];
}

const KEEL_YAML = `version: 1
org: acme
team: core
project: demo
store: { driver: sqlite, path: .keel/state/ledger.db }
providers:
  anthropic: { kind: anthropic, api_key_env: ANTHROPIC_API_KEY }
  openai: { kind: openai, api_key_env: OPENAI_API_KEY }
tiers: [economy, standard, frontier]
routing: { default_tier: economy }
`;

/** An implementer agent on a coding-agent runtime; `runtime` may be a full object in YAML flow style. */
export function implementer(runtime: string, write = '["src/**"]', tier = 'economy'): string {
  return `---
name: implementer
version: 1
category: implementer
description: Implements the change with a coding-agent CLI.
runtime: ${runtime}
tier: ${tier}
access: { write: ${write} }
---
You are the implementer. Keep changes small and tested.
`;
}

/** A one-pass workflow: `build` by the implementer, with a command gate and its ladder. */
export function buildWorkflow(
  gate = '[test, -f, src/greet.js]',
  onFail = '[{ rework: 1 }, abort]',
) {
  return `name: feature
version: 1
selects: { types: [feature] }
passes:
  - id: build
    agent: implementer
    description: Add a greet(name) function in src/greet.js.
    outputs: [notes.md]
    gates:
      - id: tests
        command: { run: ${gate} }
        on_fail: ${onFail}
`;
}

export interface AgentHarness extends Harness {
  /** Where the fake keeps its sessions. */
  stateDir: string;
}

/** A harness whose implementer runs on `tool` over the fake, playing `scenario` (YAML). */
export async function agentHarness(
  tool: Tool,
  scenario: string,
  options: {
    runtime?: string;
    workflow?: string;
    write?: string;
    tier?: string;
    keelYaml?: string;
  } = {},
): Promise<AgentHarness> {
  const repo = featureRepo({
    '.keel/keel.yaml': options.keelYaml ?? KEEL_YAML,
    '.keel/agents/implementer.md': implementer(
      options.runtime ?? tool,
      options.write,
      options.tier,
    ),
    '.keel/workflows/feature.yaml': options.workflow ?? buildWorkflow(),
  });
  const h = await harness('rules:\n  - { reply: { text: unused } }\n', repo);
  const simDir = mkdtempSync(join(tmpdir(), 'keel-agent-sim-'));
  const scenarioFile = join(simDir, 'scenario.yaml');
  writeFileSync(scenarioFile, scenario);
  const stateDir = join(simDir, 'state');
  Object.assign(h.env, {
    KEEL_SIM_SCENARIO: scenarioFile,
    KEEL_SIM_STATE_DIR: stateDir,
    KEEL_SIM_SPEED: '0',
    OPENAI_API_KEY: 'sk-openai-engine-test',
    [tool === 'claude-code' ? 'KEEL_CLAUDE_CODE_COMMAND' : 'KEEL_CODEX_COMMAND']: JSON.stringify(
      fakeCommand(tool),
    ),
  });
  return { ...h, stateDir };
}
