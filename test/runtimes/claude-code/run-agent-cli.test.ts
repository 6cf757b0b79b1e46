/** The process runner: cancellation, timeouts that stop the whole process group, and a missing CLI. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  AgentRunError,
  ClaudeStreamParser,
  runAgentCli,
} from '../../../src/runtimes/claude-code/index.ts';

const node = process.execPath;

async function failureOf(promise: Promise<unknown>): Promise<AgentRunError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof AgentRunError, `expected an AgentRunError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the run to fail');
}

/** A CLI that starts a grandchild, names it in its session id, then waits forever. */
const hangingCli = `
const { spawn } = require('node:child_process');
const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
process.stdout.write(JSON.stringify({ type: 'system', subtype: 'init', session_id: 'pid-' + child.pid, model: 'm', tools: [] }) + '\\n');
setInterval(() => {}, 1000);
`;

/** Whether a process still runs; a zombie awaiting its reaper (PID 1 in a container may never reap) does not. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) [ZX]/.test(stat);
  } catch {
    return true;
  }
}

describe('runAgentCli', () => {
  it('reports a CLI that runs past its timeout as timeout', async () => {
    const error = await failureOf(
      runAgentCli({
        command: node,
        args: ['-e', hangingCli],
        cwd: process.cwd(),
        timeoutMs: 300,
        killGraceMs: 200,
        parser: new ClaudeStreamParser(),
      }),
    );
    assert.equal(error.kind, 'timeout');
    assert.equal(error.retryable, true);
    assert.match(error.message, /did not finish within 300 ms/);
  });

  it('stops everything the CLI started when it is stopped, and keeps what it parsed', async () => {
    const controller = new AbortController();
    let grandchild = 0;
    const error = await failureOf(
      runAgentCli({
        command: node,
        args: ['-e', hangingCli],
        cwd: process.cwd(),
        killGraceMs: 200,
        signal: controller.signal,
        parser: new ClaudeStreamParser(),
        onEvent: (e) => {
          if (e.type !== 'session') return;
          grandchild = Number(e.sessionId.slice('pid-'.length));
          controller.abort();
        },
      }),
    );
    assert.equal(error.partial?.sessionId, `pid-${grandchild}`);
    assert.ok(grandchild > 0, 'the grandchild was started');
    // The group was signalled before the runner settled; give the kernel a moment to deliver it.
    for (let i = 0; i < 100 && alive(grandchild); i += 1)
      await new Promise((r) => setTimeout(r, 20));
    assert.equal(alive(grandchild), false, 'the grandchild was stopped too');
  });

  it('reports aborted when the caller cancels, and does not start when already cancelled', async () => {
    const controller = new AbortController();
    const events: string[] = [];
    const run = runAgentCli({
      command: node,
      args: ['-e', hangingCli],
      cwd: process.cwd(),
      killGraceMs: 200,
      signal: controller.signal,
      parser: new ClaudeStreamParser(),
      onEvent: (e) => {
        events.push(e.type);
        controller.abort();
      },
    });
    const error = await failureOf(run);
    assert.equal(error.kind, 'aborted');
    assert.equal(error.retryable, false);
    assert.deepEqual(events.slice(0, 1), ['session']);
    const again = await failureOf(
      runAgentCli({
        command: node,
        args: ['-e', ''],
        cwd: process.cwd(),
        signal: controller.signal,
        parser: new ClaudeStreamParser(),
      }),
    );
    assert.equal(again.kind, 'aborted');
  });

  it('reports a CLI that is not installed as nonzero_exit naming the command', async () => {
    const error = await failureOf(
      runAgentCli({
        command: 'keel-no-such-cli',
        args: [],
        cwd: process.cwd(),
        parser: new ClaudeStreamParser(),
      }),
    );
    assert.equal(error.kind, 'nonzero_exit');
    assert.match(error.message, /could not start keel-no-such-cli/);
  });

  it('passes stdin to the CLI and resolves with the parsed summary', async () => {
    const echo = `
let input = '';
process.stdin.on('data', (d) => { input += d; });
process.stdin.on('end', () => {
  const line = (o) => process.stdout.write(JSON.stringify(o) + '\\n');
  line({ type: 'system', subtype: 'init', session_id: 's-2', model: 'claude-x', tools: [] });
  line({ type: 'result', subtype: 'success', is_error: false, num_turns: 1, duration_ms: 5, result: input.toUpperCase(), session_id: 's-2', usage: { input_tokens: 3, output_tokens: 4 } });
});`;
    const summary = await runAgentCli({
      command: node,
      args: ['-e', echo],
      cwd: process.cwd(),
      stdin: 'ping',
      parser: new ClaudeStreamParser(),
    });
    assert.equal(summary.result, 'PING');
    assert.deepEqual(
      summary.calls.map((c) => [c.model, c.usage.outputTokens]),
      [['claude-x', 4]],
    );
  });
});
