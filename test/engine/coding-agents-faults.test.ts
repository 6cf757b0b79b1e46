/**
 * Faults of the coding-agent CLIs inside the engine, injected by the fakes:
 * each failure is recorded with the engine kind its escalation needs (limits
 * and refusals are output failures, crashes, hangs, garbled output and bad
 * exits infrastructure), the next attempt is told why, and a gate that fails
 * sends the pass back to the agent with its findings.
 */
import assert from 'node:assert/strict';
import { describe, it, test } from 'node:test';
import type {
  AttemptFinished,
  AttemptStarted,
  EscalationApplied,
  GateDecided,
  ModelCallRecorded,
} from '../../src/engine/index.ts';
import { agentHarness, buildWorkflow, type Tool } from '../runtimes/agent-cli/engine-fixture.ts';
import { dataOf } from './harness.ts';

const SUCCESS = `  - match: { pass: build, attempt: { min: 2 } }
    steps:
      - write: { path: src/greet.js, content: "export const greet = (name) => 'Hello, ' + name;\\n" }
      - write: { path: .keel/artifacts/WI-1/build/notes.md, content: "Added greet()." }
    result: Added greet().
`;

/** The first attempt's rule: the steps before the fault, then how it goes wrong. */
const failing = (how: string) => `  - match: { pass: build, attempt: 1 }
    steps:
      - say: Starting on the greeting.
      - write: { path: src/greet.js, content: "half done\\n" }
      - say: Still working.
${how}`;

interface FaultCase {
  fault: string;
  rule: string;
  kind: 'infrastructure' | 'output';
  message: RegExp;
  tools: Tool[];
  /** The runtime's timeout, for the hang (the others keep the default, so a slow machine cannot time them out). */
  timeout?: string;
}

const cases: FaultCase[] = [
  {
    fault: 'a crash mid-stream',
    rule: '    fault: { kind: crash, afterStep: 2 }\n',
    kind: 'infrastructure',
    message: /crashed/,
    tools: ['claude-code', 'codex'],
  },
  {
    fault: 'a hang',
    rule: '    fault: { kind: hang, afterStep: 1 }\n',
    kind: 'infrastructure',
    message: /timeout: (Claude Code|Codex) did not finish within 3000 ms/,
    tools: ['claude-code', 'codex'],
    timeout: '3s',
  },
  {
    fault: 'a malformed line',
    rule: '    fault: { kind: malformed, afterStep: 1 }\n',
    kind: 'infrastructure',
    message: /malformed_output|crashed/,
    tools: ['claude-code', 'codex'],
  },
  {
    fault: 'an error result',
    rule: '    outcome: error\n    message: "API Error: 500 Internal server error"\n',
    kind: 'infrastructure',
    message: /execution_error: .*API Error: 500/,
    tools: ['claude-code', 'codex'],
  },
  {
    fault: 'a max-turns result',
    rule: '    outcome: max_turns\n',
    kind: 'output',
    message: /max_turns: .*maximum number of turns/,
    tools: ['claude-code'],
  },
  {
    fault: 'a non-zero exit',
    rule: '    fault: { kind: nonzero_exit, exitCode: 3 }\n',
    kind: 'infrastructure',
    message: /nonzero_exit|crashed/,
    tools: ['claude-code', 'codex'],
  },
];

// Each case owns its repository, ledger and fake state, so they run side by side.
describe('faults of the coding-agent CLIs', { concurrency: 4 }, () => {
  for (const c of cases) {
    for (const tool of c.tools) {
      it(`${c.fault} from ${tool} fails the attempt as ${c.kind}, and the retry is told why and succeeds`, async () => {
        const h = await agentHarness(tool, `version: 1\nrules:\n${failing(c.rule)}${SUCCESS}`, {
          runtime: c.timeout ? `{ kind: ${tool}, timeout: ${c.timeout} }` : tool,
        });
        try {
          await h.submit();
          const result = await h.run();
          assert.equal(result.items[0]?.state.completed?.outcome, 'done');
          const events = await h.events();
          const finished = dataOf<AttemptFinished>(events, 'attempt.finished');
          assert.deepEqual(
            finished.map((f) => f.outcome),
            ['failed', 'succeeded'],
          );
          assert.equal(finished[0]?.error?.kind, c.kind);
          assert.match(finished[0]?.error?.message ?? '', c.message);
          const starts = dataOf<AttemptStarted>(events, 'attempt.started');
          assert.equal(starts[1]?.reason, 'retry');
          assert.ok((starts[1]?.findings.length ?? 0) > 0);
          // The half-done edit of the failed attempt never reaches a commit.
          const greet = h.repo.git('show', 'keel/wi-1~1:src/greet.js');
          assert.match(greet, /Hello, /);
          // Tokens a failed run spent before stopping are still accounted for when the CLI said.
          const calls = dataOf<ModelCallRecorded>(events, 'model_call.recorded');
          for (const call of calls.filter((x) => x.attempt === 1))
            assert.equal(call.outcome, 'failed');
        } finally {
          await h.close();
        }
      });
    }
  }
});

test('a CLI that fails every attempt fails the pass after the engine’s bounded retries', async () => {
  const h = await agentHarness(
    'claude-code',
    `version: 1\nrules:\n  - match: { pass: build }\n    fault: { kind: crash, afterStep: 0 }\n`,
  );
  try {
    await h.submit();
    const result = await h.run();
    const state = result.items[0]?.state;
    assert.equal(state?.completed?.outcome, 'failed');
    assert.equal(state?.passes.get('build')?.completed?.outcome, 'failed');
    const finished = dataOf<AttemptFinished>(await h.events(), 'attempt.finished');
    assert.equal(finished.length, 3);
    assert.ok(finished.every((f) => f.error?.kind === 'infrastructure'));
  } finally {
    await h.close();
  }
});

test('a failing gate after a coding-agent pass reworks it with the findings in the prompt, then the ladder aborts', async () => {
  const h = await agentHarness(
    'codex',
    `version: 1
rules:
  - match: { pass: build, prompt: "Findings to fix" }
    steps:
      - write: { path: src/greet.js, content: "still wrong\\n" }
    result: Tried again.
  - match: { pass: build }
    steps:
      - write: { path: src/greet.js, content: "wrong\\n" }
    result: Done.
`,
    { workflow: buildWorkflow('[grep, -q, Hello, src/greet.js]', '[{ rework: 1 }, abort]') },
  );
  try {
    await h.submit();
    const result = await h.run();
    assert.equal(result.items[0]?.state.completed?.outcome, 'aborted');
    const events = await h.events();
    const starts = dataOf<AttemptStarted>(events, 'attempt.started');
    assert.deepEqual(
      starts.map((s) => s.reason),
      ['first', 'rework'],
    );
    assert.ok((starts[1]?.findings.length ?? 0) > 0);
    const gates = dataOf<GateDecided>(events, 'gate.decided');
    assert.deepEqual(
      gates.map((g) => g.verdict),
      ['failed', 'failed'],
    );
    assert.deepEqual(
      dataOf<EscalationApplied>(events, 'escalation.applied').map((e) => e.step),
      ['rework', 'abort'],
    );
    // The rework ran the rule that only matches when the findings are in the prompt.
    assert.equal(h.repo.git('show', 'keel/wi-1:src/greet.js'), 'still wrong\n');
  } finally {
    await h.close();
  }
});
