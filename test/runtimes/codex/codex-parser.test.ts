/** The Codex exec JSONL parser on recorded-format fixtures: items, usage conventions, failures. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  type AgentEvent,
  AgentRunError,
  type AgentRunSummary,
} from '../../../src/runtimes/claude-code/index.ts';
import { type CodexParserOptions, CodexStreamParser } from '../../../src/runtimes/codex/index.ts';

const fixture = (name: string): string =>
  readFileSync(new URL(`../../fixtures/codex/${name}`, import.meta.url), 'utf8');

function run(name: string, options: CodexParserOptions = {}, exit = { code: 0, signal: null }) {
  const parser = new CodexStreamParser({ now: () => 0, model: 'gpt-5-codex', ...options });
  const events = parser.push(fixture(name));
  return { events, finish: () => parser.finish(exit) };
}

function failure(fn: () => AgentRunSummary): AgentRunError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof AgentRunError, `expected an AgentRunError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the run to fail');
}

describe('Codex exec JSONL parser', () => {
  it('reads a successful run: thread id, last message, normalised usage under the given model', () => {
    const summary = run('success.jsonl').finish();
    assert.equal(summary.outcome, 'success');
    assert.equal(summary.sessionId, '019a2f3c-5d6e-7f80-9a1b-2c3d4e5f6a7b');
    assert.equal(summary.result, 'Added greet() in src/greet.ts.');
    assert.equal(summary.numTurns, 1);
    assert.deepEqual(summary.calls, [
      {
        model: 'gpt-5-codex',
        usage: {
          inputTokens: 24763 - 24448,
          outputTokens: 122,
          cacheReadTokens: 24448,
          cacheWriteTokens: 0,
          reasoningTokens: 0,
        },
      },
    ]);
  });

  it('lists the file changes that were applied, not the failed patch', () => {
    assert.deepEqual(run('success.jsonl').finish().filesChanged, [
      { path: '/work/repo/src/greet.ts', kind: 'add' },
      { path: '/work/repo/src/index.ts', kind: 'update' },
      { path: '/work/repo/src/old.ts', kind: 'delete' },
    ]);
  });

  it('emits live events for every item type it accounts for', () => {
    const { events } = run('success.jsonl');
    const of = (t: AgentEvent['type']) => events.filter((e) => e.type === t);
    assert.equal(of('session').length, 1);
    assert.deepEqual(of('turn'), [{ type: 'turn', index: 1 }]);
    assert.equal(of('thinking').length, 1);
    assert.deepEqual(of('command'), [
      { type: 'command', command: "bash -lc 'rg -n greet src'", status: 'in_progress' },
      { type: 'command', command: "bash -lc 'rg -n greet src'", status: 'failed', exitCode: 1 },
    ]);
    assert.deepEqual(
      of('tool_use').map((e) => (e.type === 'tool_use' ? e.name : '')),
      ['docs.search', 'web_search'],
    );
    assert.deepEqual(of('tool_result'), [{ type: 'tool_result', id: 'item_5', isError: false }]);
    assert.deepEqual(of('warning'), [
      { type: 'warning', message: 'command timed out after 10s, retrying' },
    ]);
    assert.equal(of('file_change').length, 3);
    assert.equal(of('message').length, 1);
  });

  it('sums per-turn usage over the turns of a run', () => {
    const summary = run('two-turns-per-turn.jsonl', { cliVersion: 'codex-cli 0.153.4' }).finish();
    assert.equal(summary.codex?.usageReporting, 'per-turn');
    assert.equal(summary.numTurns, 2);
    assert.deepEqual(summary.calls[0]?.usage, {
      inputTokens: 16379 - 12032 + (9120 - 8960),
      outputTokens: 311 + 95,
      cacheReadTokens: 12032 + 8960,
      cacheWriteTokens: 0,
      reasoningTokens: 0,
    });
  });

  it('takes the last report when a version reporting totals never decreases', () => {
    const summary = run('two-turns-cumulative.jsonl', { cliVersion: 'codex-cli 0.155.1' }).finish();
    assert.equal(summary.codex?.usageReporting, 'cumulative');
    assert.deepEqual(summary.calls[0]?.usage, {
      inputTokens: 32117 - 27648,
      outputTokens: 402,
      cacheReadTokens: 27648,
      cacheWriteTokens: 0,
      reasoningTokens: 160,
    });
    assert.equal(summary.codex?.threadTotals.inputTokens, 32117);
  });

  it('reads decreasing reports as per-turn even from a version that reports totals', () => {
    const summary = run('two-turns-per-turn.jsonl', { cliVersion: '0.155.1' }).finish();
    assert.equal(summary.codex?.usageReporting, 'per-turn');
    assert.equal(summary.calls[0]?.usage.outputTokens, 406);
  });

  it('reads the same reports as per-turn when the version is unknown', () => {
    const summary = run('two-turns-cumulative.jsonl').finish();
    assert.equal(summary.codex?.usageReporting, 'per-turn');
    assert.equal(summary.calls[0]?.usage.outputTokens, 311 + 402);
  });

  it('subtracts the thread totals before a resumed run, so earlier runs are not billed twice', () => {
    const first = run('two-turns-cumulative.jsonl', { cliVersion: '0.155.1' });
    const firstTotals = {
      inputTokens: 16379,
      cachedInputTokens: 12032,
      cacheWriteInputTokens: 0,
      outputTokens: 311,
      reasoningOutputTokens: 128,
    };
    assert.ok(first.finish());
    const resumed = run('resumed-cumulative.jsonl', {
      cliVersion: '0.155.1',
      baseline: firstTotals,
    }).finish();
    assert.deepEqual(resumed.calls[0]?.usage, {
      inputTokens: 32117 - 16379 - (27648 - 12032),
      outputTokens: 402 - 311,
      cacheReadTokens: 27648 - 12032,
      cacheWriteTokens: 0,
      reasoningTokens: 160 - 128,
    });
  });

  it('emits live usage as the difference between reports when the version reports totals', () => {
    const { events } = run('two-turns-cumulative.jsonl', { cliVersion: '0.155.1' });
    const usage = events.flatMap((e) => (e.type === 'usage' ? [e.usage.outputTokens] : []));
    assert.deepEqual(usage, [311, 402 - 311]);
  });

  it('maps turn.failed to a retryable execution_error with its message', () => {
    const error = failure(run('turn-failed.jsonl', {}, { code: 1, signal: null }).finish);
    assert.equal(error.kind, 'execution_error');
    assert.equal(error.retryable, true);
    assert.match(error.message, /stream disconnected/);
  });

  it('maps a 401 to auth', () => {
    const error = failure(run('auth-failed.jsonl', {}, { code: 1, signal: null }).finish);
    assert.equal(error.kind, 'auth');
    assert.equal(error.retryable, false);
  });

  it('reports a stream cut off inside a turn as crashed, keeping the files already changed', () => {
    const error = failure(
      run('crashed.jsonl', {}, { code: null, signal: 'SIGSEGV' } as never).finish,
    );
    assert.equal(error.kind, 'crashed');
    assert.match(error.message, /SIGSEGV/);
    assert.equal(error.partial?.filesChanged?.length, 3);
    assert.deepEqual(error.partial?.calls, []);
  });

  it('fails on a malformed line even when a turn completed, and skips it when lenient', () => {
    const error = failure(run('malformed.jsonl').finish);
    assert.equal(error.kind, 'malformed_output');
    assert.equal(error.partial?.calls[0]?.usage.cacheReadTokens, 24448);
    assert.equal(run('malformed.jsonl', { lenient: true }).finish().outcome, 'success');
  });

  it('reports a CLI that refused to start as nonzero_exit with its stderr', () => {
    const parser = new CodexStreamParser();
    const error = failure(() =>
      parser.finish({
        code: 1,
        signal: null,
        stderr: 'Not inside a trusted directory and --skip-git-repo-check was not specified.',
      }),
    );
    assert.equal(error.kind, 'nonzero_exit');
    assert.match(error.message, /trusted directory/);
  });
});
