/**
 * An interrupted coding-agent attempt resumes its CLI session: the session id
 * is recorded as soon as the CLI names it, and after the engine is stopped
 * mid-run the next run's attempt continues that same session (`--resume ID` /
 * `exec resume ID`) with a prompt saying the worktree was reset.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  type AgentSessionRecorded,
  type AttemptFinished,
  type AttemptStarted,
  runWorkItems,
} from '../../src/engine/index.ts';
import {
  type AgentHarness,
  agentHarness,
  type Tool,
} from '../runtimes/agent-cli/engine-fixture.ts';
import { dataOf } from './harness.ts';

const SCENARIO = `version: 1
rules:
  - match: { pass: build, attempt: 1 }
    steps:
      - say: Looking at the code.
      - write: { path: src/greet.js, content: "half done\\n" }
      - say: Thinking some more.
    fault: { kind: hang, afterStep: 2 }
  - match: { pass: build, prompt: "You were interrupted" }
    steps:
      - write: { path: src/greet.js, content: "export const greet = (name) => 'Hello, ' + name;\\n" }
      - write: { path: .keel/artifacts/WI-1/build/notes.md, content: "Added greet() after resuming." }
    result: Finished after resuming.
`;

/** Runs the engine until the CLI names its session, then stops it as Ctrl-C would. */
async function runUntilSession(h: AgentHarness): Promise<void> {
  const controller = new AbortController();
  await runWorkItems({
    root: h.repo.dir,
    definitions: h.definitions,
    ledger: h.ledger,
    env: h.env,
    pollMs: 20,
    untilIdle: true,
    signal: controller.signal,
    onEvent: (event) => {
      if (event.type === 'agent_session.recorded') controller.abort();
    },
  });
}

for (const tool of ['claude-code', 'codex'] as Tool[]) {
  test(`an attempt on ${tool} stopped mid-run is resumed in the same session by the next run`, async () => {
    const h = await agentHarness(tool, SCENARIO);
    try {
      await h.submit();
      await runUntilSession(h);
      const before = await h.events();
      assert.equal(dataOf<AttemptFinished>(before, 'attempt.finished').length, 0);
      const [first] = dataOf<AgentSessionRecorded>(before, 'agent_session.recorded');
      assert.ok(first?.sessionId);

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
      const sessions = dataOf<AgentSessionRecorded>(events, 'agent_session.recorded');
      const resumed = sessions.filter((s) => s.attempt === 2);
      assert.ok(resumed.length > 0, 'the resumed run names its session');
      for (const s of resumed) assert.equal(s.sessionId, first?.sessionId);
      assert.match(h.repo.git('show', 'keel/wi-1~1:src/greet.js'), /Hello, /);
    } finally {
      await h.close();
    }
  });
}

test('a fresh attempt after a failure starts a new session instead of resuming', async () => {
  const h = await agentHarness(
    'claude-code',
    `version: 1
rules:
  - match: { pass: build, attempt: 1 }
    fault: { kind: crash, afterStep: 0 }
  - match: { pass: build }
    steps:
      - write: { path: src/greet.js, content: "export const greet = () => 'Hello';\\n" }
      - write: { path: .keel/artifacts/WI-1/build/notes.md, content: "Done." }
`,
  );
  try {
    await h.submit();
    const result = await h.run();
    assert.equal(result.items[0]?.state.completed?.outcome, 'done');
    const sessions = dataOf<AgentSessionRecorded>(await h.events(), 'agent_session.recorded');
    const ids = new Set(sessions.map((s) => s.sessionId));
    assert.equal(ids.size, 2, 'a retry after a failure starts over');
  } finally {
    await h.close();
  }
});
