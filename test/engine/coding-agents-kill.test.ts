/**
 * A real `keel run` killed with SIGKILL while Claude Code works: the CLI's
 * session was recorded before the kill, so the next run closes the attempt as
 * interrupted and continues that same session with `--resume`.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type {
  AgentSessionRecorded,
  AttemptFinished,
  AttemptStarted,
} from '../../src/engine/index.ts';
import { keelBin } from '../helpers/cli.ts';
import { agentHarness } from '../runtimes/agent-cli/engine-fixture.ts';
import { dataOf } from './harness.ts';

// Attempt 1 works slowly, so keel is killed mid-run; the orphaned fake dies on its next write to
// the closed pipe. The resumed attempt finishes the task.
const SCENARIO = `version: 1
pacing: { startupMs: 0, stepMs: 0 }
rules:
  - match: { pass: build, attempt: 1 }
    pacing: { stepMs: 1500 }
    steps:
      - say: Reading the code.
      - say: Still reading.
      - say: Almost there.
  - match: { pass: build, prompt: "You were interrupted" }
    steps:
      - write: { path: src/greet.js, content: "export const greet = (name) => 'Hello, ' + name;\\n" }
      - write: { path: .keel/artifacts/WI-1/build/notes.md, content: "Added greet() after a restart." }
    result: Done after the restart.
`;

test('after keel is killed mid-attempt, the next run resumes the same Claude Code session', async () => {
  const h = await agentHarness('claude-code', SCENARIO);
  // Real pacing: only attempt 1's rule has delays.
  h.env.KEEL_SIM_SPEED = '1';
  try {
    await h.submit();
    const child = spawn(process.execPath, [keelBin, 'run', '--until-idle'], {
      cwd: h.repo.dir,
      env: { ...h.env, NO_COLOR: '1' },
      stdio: 'ignore',
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('exit', (_code, signal) => resolve(signal)),
    );
    let first: AgentSessionRecorded | undefined;
    for (let i = 0; i < 400 && !first; i++) {
      [first] = dataOf<AgentSessionRecorded>(await h.events(), 'agent_session.recorded');
      if (!first) await sleep(25);
    }
    assert.ok(first, 'keel run recorded the session');
    child.kill('SIGKILL');
    assert.equal(await exited, 'SIGKILL');
    assert.equal(dataOf<AttemptFinished>(await h.events(), 'attempt.finished').length, 0);

    const result = await h.run();
    assert.equal(result.items[0]?.state.completed?.outcome, 'done');
    const events = await h.events();
    assert.deepEqual(
      dataOf<AttemptStarted>(events, 'attempt.started').map((a) => a.reason),
      ['first', 'after_interruption'],
    );
    assert.deepEqual(
      dataOf<AttemptFinished>(events, 'attempt.finished').map((a) => a.outcome),
      ['interrupted', 'succeeded'],
    );
    const resumed = dataOf<AgentSessionRecorded>(events, 'agent_session.recorded').filter(
      (s) => s.attempt === 2,
    );
    assert.deepEqual(
      resumed.map((s) => s.sessionId),
      [first.sessionId],
    );
    assert.match(h.repo.git('show', 'keel/wi-1~1:src/greet.js'), /Hello, /);
  } finally {
    await h.close();
  }
});
