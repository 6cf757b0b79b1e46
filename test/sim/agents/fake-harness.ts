/**
 * Runs the fake CLI executables as child processes, through keel's own
 * runner and parsers, in temporary git repositories with their own state dir.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import {
  type AgentEvent,
  AgentRunError,
  type AgentRunSummary,
  type AgentStreamParser,
  runAgentCli,
} from '../../../src/runtimes/claude-code/index.ts';
import type { SimScenarioInput } from '../../../src/sim/claude-code/index.ts';
import { makeTempRepo, repoRoot, type TempRepo } from '../../helpers/cli.ts';

export const claudeBin = join(repoRoot, 'bin', 'keel-sim-claude.js');
export const codexBin = join(repoRoot, 'bin', 'keel-sim-codex.js');

/** A temp repo, a state dir and a scenario file for one test. */
export interface FakeWorld {
  repo: TempRepo;
  env: NodeJS.ProcessEnv;
  dispose(): void;
}

/** Creates a world whose fakes follow `scenario` instantly. */
export function makeWorld(scenario?: SimScenarioInput): FakeWorld {
  const repo = makeTempRepo('keel-sim-agents-');
  const state = mkdtempSync(join(tmpdir(), 'keel-sim-state-'));
  const env: NodeJS.ProcessEnv = { ...process.env, KEEL_SIM_STATE_DIR: state, KEEL_SIM_SPEED: '0' };
  delete env.KEEL_SIM_SCENARIO;
  if (scenario) {
    const file = join(state, 'scenario.yaml');
    writeFileSync(file, stringify(scenario));
    env.KEEL_SIM_SCENARIO = file;
  }
  return {
    repo,
    env,
    dispose: () => {
      repo.dispose();
      rmSync(state, { recursive: true, force: true });
    },
  };
}

/** Runs a fake through `runAgentCli`; returns the summary or the typed failure, and the events. */
export async function runFake(
  world: FakeWorld,
  bin: string,
  invocation: { args: string[]; stdin: string },
  parser: AgentStreamParser,
  timeoutMs = 30_000,
  /** Cancels the run once an event satisfies this. */
  abortWhen?: (event: AgentEvent) => boolean,
): Promise<{ summary?: AgentRunSummary; error?: AgentRunError; events: AgentEvent[] }> {
  const events: AgentEvent[] = [];
  const controller = new AbortController();
  try {
    const summary = await runAgentCli({
      command: process.execPath,
      args: [bin, ...invocation.args],
      cwd: world.repo.dir,
      env: world.env,
      stdin: invocation.stdin,
      timeoutMs,
      killGraceMs: 200,
      parser,
      signal: controller.signal,
      onEvent: (e) => {
        events.push(e);
        if (abortWhen?.(e)) controller.abort();
      },
    });
    return { summary, events };
  } catch (error) {
    if (error instanceof AgentRunError) return { error, events };
    throw error;
  }
}
