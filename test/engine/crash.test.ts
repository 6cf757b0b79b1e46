/**
 * Crash safety: the orchestrator process is SIGKILLed at random instants of
 * real runs (after a random number of recorded events, plus a random few
 * milliseconds), then restarted, until every work item completes. Afterwards
 * the ledger must show no duplicate model-call records, no lost events
 * (gapless seq, every started attempt finished) and a verifying hash chain.
 * KEEL_CRASH_KILLS sets the number of kill points (default 52 under CI, else 20).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadDefinitions } from '../../src/definitions/index.ts';
import type { AttemptFinished, AttemptStarted, ModelCallRecorded } from '../../src/engine/index.ts';
import { openLedger } from '../../src/ledger/index.ts';
import { parseModelApiScenario, startModelApiSim } from '../../src/sim/index.ts';
import { submitWorkItem } from '../../src/workitems/index.ts';
import { dataOf, featureRepo, type Repo } from './harness.ts';

const CHILD = fileURLToPath(new URL('./crash-child.ts', import.meta.url));
// Each kill point costs a process start (about a second of CPU): 52 in CI, fewer on a laptop.
const KILLS = Number(process.env.KEEL_CRASH_KILLS ?? (process.env.CI ? 52 : 20));
const REPOS = 4;

// The review fails on a pass's first attempt and passes afterwards: every run reworks once (or more after kills).
const SCENARIO = `rules:
  - { match: { agent: author, pass: spec }, reply: { json: { artifacts: { spec.md: "# Spec" } } } }
  - { match: { agent: reviewer, attempt: 1 }, reply: { json: { criteria: { c1: { passed: true, finding: ok }, c2: { passed: false, finding: "non-goals missing" } } } } }
`;

interface ChildRun {
  killed: boolean;
  code: number | null;
  output: string;
}

/** Starts the orchestrator; kills it after `killAfterEvents` events (+ a few ms), unless it finishes first. */
function runChild(
  root: string,
  env: NodeJS.ProcessEnv,
  killAfterEvents: number | undefined,
): Promise<ChildRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CHILD, root], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let events = 0;
    let killed = false;
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString();
      events = (output.match(/^event /gm) ?? []).length;
      if (killAfterEvents !== undefined && !killed && events >= killAfterEvents) {
        killed = true;
        setTimeout(() => child.kill('SIGKILL'), Math.floor(Math.random() * 15));
      }
    });
    child.stderr.on('data', (d: Buffer) => {
      output += d.toString();
    });
    child.on('close', (code) => resolve({ killed: killed && code === null, code, output }));
  });
}

async function crashLoop(repo: Repo, env: NodeJS.ProcessEnv, kills: number): Promise<number> {
  let done = 0;
  for (let i = 0; i < kills + 30; i++) {
    const kill = done < kills ? 1 + Math.floor(Math.random() * 4) : undefined;
    const run = await runChild(repo.dir, env, kill);
    if (run.killed) {
      done++;
      continue;
    }
    assert.equal(run.code, 0, `the orchestrator failed:\n${run.output}`);
    if (/^done /m.test(run.output)) return done;
  }
  throw new Error('the work items did not complete after the restarts');
}

test(`the orchestrator survives ${KILLS} SIGKILLs at random instants without duplicates or lost events`, async () => {
  const sim = await startModelApiSim({ scenario: parseModelApiScenario(SCENARIO) });
  const env = {
    ...process.env,
    ANTHROPIC_BASE_URL: `${sim.url}/v1`,
    ANTHROPIC_API_KEY: 'sk-ant-crash-test',
    KEEL_LEDGER_PATH: '',
  };
  const repos = Array.from({ length: REPOS }, () => featureRepo());
  try {
    for (const repo of repos) {
      const loaded = await loadDefinitions(repo.dir);
      const ledger = await openLedger(
        { kind: 'sqlite', path: join(repo.dir, '.keel/state/ledger.db') },
        { env },
      );
      const definitions = loaded.definitions;
      assert.ok(definitions);
      for (const title of ['Add a greeting', 'Add a farewell', 'Add a welcome']) {
        await submitWorkItem(
          { title, type: 'feature', priority: 'P2', labels: [], body: 'Be polite.' },
          { definitions, actor: 'alice', ledger },
        );
      }
      await ledger.close();
    }
    const share = Math.ceil(KILLS / REPOS);
    const kills = await Promise.all(repos.map((repo) => crashLoop(repo, env, share)));
    assert.ok(kills.reduce((a, b) => a + b, 0) >= KILLS);

    for (const repo of repos) {
      const ledger = await openLedger(
        { kind: 'sqlite', path: join(repo.dir, '.keel/state/ledger.db') },
        { env },
      );
      try {
        const events = await ledger.read();
        assert.deepEqual(
          events.map((e) => e.seq),
          events.map((_, i) => i + 1),
          'seq is gapless',
        );
        const verify = await ledger.verify();
        assert.equal(verify.ok, true, JSON.stringify(verify.firstBad));
        const completed = dataOf<{ outcome: string }>(events, 'work_item.completed');
        assert.deepEqual(
          completed.map((c) => c.outcome),
          ['done', 'done', 'done'],
        );
        const started = events.filter((e) => e.type === 'attempt.started');
        const finished = new Set(
          events
            .filter((e) => e.type === 'attempt.finished')
            .map(
              (e) =>
                `${e.workItemId}/${(e.data as unknown as AttemptFinished).pass}/${(e.data as unknown as AttemptFinished).attempt}`,
            ),
        );
        for (const s of started) {
          const a = s.data as unknown as AttemptStarted;
          assert.ok(
            finished.has(`${s.workItemId}/${a.pass}/${a.attempt}`),
            `attempt ${a.pass}/${a.attempt} of ${s.workItemId} was finished`,
          );
        }
        const calls = dataOf<ModelCallRecorded>(events, 'model_call.recorded');
        assert.equal(new Set(calls.map((c) => c.callId)).size, calls.length, 'call ids are unique');
        const perSlot = new Map<string, number>();
        for (const c of calls) {
          const slot = `${c.generationId}/${c.purpose}/${c.gate ?? ''}`;
          perSlot.set(slot, (perSlot.get(slot) ?? 0) + 1);
        }
        for (const [slot, n] of perSlot)
          assert.equal(n, 1, `one recorded call per attempt and purpose (${slot})`);
        const keys = events.map((e) => e.idempotencyKey).filter((k) => k !== null);
        assert.equal(new Set(keys).size, keys.length);
      } finally {
        await ledger.close();
      }
    }
  } finally {
    await sim.close();
    for (const repo of repos) repo.dispose();
  }
});
