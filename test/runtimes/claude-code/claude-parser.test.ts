/** The Claude Code stream-json parser on recorded-format fixtures: every result variant, chunking, failures. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  type AgentEvent,
  AgentRunError,
  type AgentRunSummary,
  type ClaudeParserOptions,
  ClaudeStreamParser,
  type ProcessExit,
} from '../../../src/runtimes/claude-code/index.ts';

const fixture = (name: string): string =>
  readFileSync(new URL(`../../fixtures/claude-code/${name}`, import.meta.url), 'utf8');

function parse(name: string, exit?: ProcessExit, options: ClaudeParserOptions = {}) {
  const parser = new ClaudeStreamParser({ now: () => 0, ...options });
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

describe('Claude Code stream-json parser', () => {
  it('reads a successful run with one call record per model of modelUsage', () => {
    const { finish } = parse('success-two-models.jsonl', { code: 0, signal: null });
    const summary = finish();
    assert.equal(summary.outcome, 'success');
    assert.equal(summary.sessionId, '4f1d2c3b-8a9e-4c7d-9b1a-2e3f4a5b6c7d');
    assert.equal(summary.numTurns, 5);
    assert.equal(summary.durationMs, 48211);
    assert.equal(summary.reportedCostUsd, 0.1044532);
    assert.equal(summary.result, 'Added greet() and exported it; tests pass.');
    assert.deepEqual(
      summary.calls.map((c) => c.model),
      ['claude-sonnet-4-5-20250929', 'claude-haiku-4-5-20251001'],
    );
    assert.deepEqual(summary.calls[0]?.usage, {
      inputTokens: 41,
      outputTokens: 1210,
      cacheReadTokens: 88104,
      cacheWriteTokens: 15320,
      reasoningTokens: 0,
    });
    assert.equal(summary.calls[1]?.reportedCostUsd, 0.001867);
  });

  it('lists the files written and edited, leaving out edits the tool refused', () => {
    const summary = parse('success-two-models.jsonl').finish();
    assert.deepEqual(summary.filesChanged, [
      { path: '/work/repo/src/greet.ts', kind: 'write' },
      { path: '/work/repo/src/index.ts', kind: 'update' },
    ]);
  });

  it('emits live events: session, turns once per message id, text, thinking, tools, usage', () => {
    const { events } = parse('success-two-models.jsonl');
    const types = (t: AgentEvent['type']) => events.filter((e) => e.type === t);
    assert.deepEqual(types('session')[0], {
      type: 'session',
      sessionId: '4f1d2c3b-8a9e-4c7d-9b1a-2e3f4a5b6c7d',
      model: 'claude-sonnet-4-5-20250929',
      tools: ['Task', 'Bash', 'Glob', 'Grep', 'Read', 'Edit', 'Write', 'TodoWrite'],
    });
    assert.equal(types('turn').length, 5);
    assert.equal(types('thinking').length, 1);
    assert.deepEqual(
      types('tool_use').map((e) => (e.type === 'tool_use' ? e.name : '')),
      ['Write', 'Edit', 'Edit', 'Bash'],
    );
    assert.deepEqual(
      types('tool_result').map((e) => (e.type === 'tool_result' ? e.isError : undefined)),
      [false, false, true, false],
    );
    assert.equal(types('file_change').length, 2);
    assert.deepEqual(types('result'), [{ type: 'result', outcome: 'success' }]);
  });

  it('falls back to the run usage under the init model when modelUsage is absent', () => {
    const summary = parse('success-no-model-usage.jsonl').finish();
    assert.equal(summary.calls.length, 1);
    assert.equal(summary.calls[0]?.model, 'claude-sonnet-4-5-20250929');
    assert.equal(summary.calls[0]?.usage.cacheReadTokens, 88104);
    assert.equal(summary.calls[0]?.reportedCostUsd, 0.0512);
  });

  it('gives the same events and summary whatever the chunk boundaries', () => {
    const text = fixture('success-two-models.jsonl');
    const whole = new ClaudeStreamParser({ now: () => 0 });
    const expected = whole.push(text);
    const bytes = Buffer.from(text);
    for (const size of [1, 7, 64, 333]) {
      const parser = new ClaudeStreamParser({ now: () => 0 });
      const events: AgentEvent[] = [];
      for (let i = 0; i < bytes.length; i += size)
        events.push(...parser.push(bytes.subarray(i, i + size)));
      assert.deepEqual(events, expected, `chunks of ${size} bytes`);
      assert.deepEqual(parser.finish(), whole.finish());
    }
  });

  it('maps error_max_turns to a non-retryable max_turns failure that keeps the usage', () => {
    const error = failure(parse('error-max-turns.jsonl', { code: 1, signal: null }).finish);
    assert.equal(error.kind, 'max_turns');
    assert.equal(error.retryable, false);
    assert.match(error.message, /maximum number of turns/);
    assert.equal(error.partial?.outcome, 'error');
    assert.equal(error.partial?.calls[0]?.usage.outputTokens, 1210);
  });

  it('maps error_during_execution to a retryable execution_error with the CLI errors', () => {
    const error = failure(parse('error-during-execution.jsonl', { code: 1, signal: null }).finish);
    assert.equal(error.kind, 'execution_error');
    assert.equal(error.retryable, true);
    assert.match(error.message, /Internal server error/);
  });

  it('maps other error subtypes, such as error_max_structured_output_retries, to execution_error', () => {
    const text = fixture('error-during-execution.jsonl').replace(
      'error_during_execution',
      'error_max_structured_output_retries',
    );
    const parser = new ClaudeStreamParser();
    parser.push(text);
    const error = failure(() => parser.finish({ code: 1, signal: null }));
    assert.equal(error.kind, 'execution_error');
    assert.match(error.message, /error_max_structured_output_retries/);
  });

  it('maps error_max_budget_usd to max_budget', () => {
    assert.equal(failure(parse('error-max-budget.jsonl').finish).kind, 'max_budget');
  });

  it('recognises an invalid API key as auth, not retryable', () => {
    const error = failure(parse('auth-failure.jsonl', { code: 1, signal: null }).finish);
    assert.equal(error.kind, 'auth');
    assert.equal(error.retryable, false);
    assert.match(error.message, /Invalid API key/);
  });

  it('recognises a provider rate limit as a retryable rate_limit', () => {
    const error = failure(parse('rate-limited.jsonl', { code: 1, signal: null }).finish);
    assert.equal(error.kind, 'rate_limit');
    assert.equal(error.retryable, true);
  });

  it('fails a run that had tools refused, unless refusals are allowed', () => {
    const error = failure(parse('permission-denied.jsonl').finish);
    assert.equal(error.kind, 'permission_denied');
    assert.match(error.message, /Write/);
    const allowed = parse('permission-denied.jsonl', undefined, {
      allowPermissionDenials: true,
    }).finish();
    assert.deepEqual(allowed.permissionDenials, ['Write']);
    assert.equal(allowed.filesChanged, undefined);
  });

  it('reports a stream that ended without a result as crashed, with the usage of the messages seen', () => {
    const error = failure(
      parse('crashed.jsonl', { code: 1, signal: null, stderr: 'boom\nTypeError: x' }).finish,
    );
    assert.equal(error.kind, 'crashed');
    assert.equal(error.retryable, true);
    assert.match(error.message, /without a result event \(exit code 1\): TypeError: x/);
    assert.equal(error.partial?.numTurns, 2);
    assert.equal(error.partial?.calls[0]?.usage.cacheWriteTokens, 14890 + 160);
  });

  it('reports a process that printed nothing and exited non-zero as nonzero_exit', () => {
    const parser = new ClaudeStreamParser();
    const error = failure(() =>
      parser.finish({ code: 1, signal: null, stderr: "error: unknown option '--bogus'" }),
    );
    assert.equal(error.kind, 'nonzero_exit');
    assert.match(error.message, /unknown option/);
  });

  it('fails on a line that is not a stream-json event, and skips it when lenient', () => {
    const { events, finish } = parse('malformed.jsonl');
    assert.ok(events.some((e) => e.type === 'warning'));
    const error = failure(finish);
    assert.equal(error.kind, 'malformed_output');
    assert.equal(error.partial?.calls.length, 2);
    const lenient = parse('malformed.jsonl', undefined, { lenient: true }).finish();
    assert.equal(lenient.outcome, 'success');
  });

  it('reports success followed by a non-zero exit as nonzero_exit', () => {
    const error = failure(parse('success-two-models.jsonl', { code: 3, signal: null }).finish);
    assert.equal(error.kind, 'nonzero_exit');
  });
});
