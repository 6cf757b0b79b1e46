/**
 * What a fake CLI process talks to (its cwd, env, stdin and output lines), the
 * pacing of its events, and the choice of the scenario rule for a prompt.
 */
import { createHash } from 'node:crypto';
import { DEFAULT_SCENARIO } from './default-scenario.ts';
import { matchRule, type PromptFacts, readMarkers } from './scenario-match.ts';
import type { SimPacing, SimRule, SimScenario } from './scenario-schema.ts';
import { nextAttempt, type SimSession } from './session-store.ts';

/** The process surroundings of a fake CLI run. */
export interface SimIO {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Reads all of stdin (empty when it is a terminal). */
  readStdin(): Promise<string>;
  /** Writes one line to stdout. */
  out(line: string): void;
  /** Writes one line to stderr. */
  err(line: string): void;
}

/** Sleeps between events; `KEEL_SIM_SPEED` scales every delay (0 = instant, 2 = twice as fast). */
export function pacer(
  env: NodeJS.ProcessEnv,
  ...layers: (SimPacing | undefined)[]
): { startup(): Promise<void>; step(): Promise<void> } {
  const merged: SimPacing = Object.assign({}, ...layers.filter(Boolean));
  const speed = env.KEEL_SIM_SPEED === undefined ? 1 : Number(env.KEEL_SIM_SPEED);
  const wait = (ms: number | undefined): Promise<void> => {
    if (!ms || !Number.isFinite(speed) || speed <= 0) return Promise.resolve();
    // ±20% jitter, as real model latency varies.
    const jittered = (ms / speed) * (0.8 + Math.random() * 0.4);
    return new Promise((r) => setTimeout(r, jittered));
  };
  return { startup: () => wait(merged.startupMs), step: () => wait(merged.stepMs) };
}

/** Never settles, and keeps the process alive: the `hang` fault. */
export function hangForever(): Promise<never> {
  setInterval(() => {}, 60_000);
  return new Promise<never>(() => {});
}

/** The rule a prompt selects, and the facts it was matched on. */
export interface RunPlan {
  rule: SimRule;
  facts: PromptFacts;
}

/** Reads the prompt's markers, counts the attempt, and picks the rule (the default one when none match). */
export function planRun(
  scenario: SimScenario,
  prompt: string,
  stateDir: string,
  cli: SimSession['cli'],
): RunPlan {
  const markers = readMarkers(prompt);
  const key = markers.pass
    ? `pass:${markers.pass}`
    : `prompt:${createHash('sha256').update(prompt).digest('hex').slice(0, 16)}`;
  const counted = nextAttempt(stateDir, cli, key);
  const facts: PromptFacts = {
    prompt,
    pass: markers.pass,
    agent: markers.agent,
    attempt: markers.attempt ?? counted,
  };
  const rule = matchRule(scenario, facts) ?? (DEFAULT_SCENARIO.rules[0] as SimRule);
  return { rule, facts };
}

/** The step index before which the rule's fault strikes (default: half-way). */
export function faultStep(rule: SimRule): number {
  if (!rule.fault) return Number.POSITIVE_INFINITY;
  return Math.min(rule.fault.afterStep ?? Math.floor(rule.steps.length / 2), rule.steps.length);
}
