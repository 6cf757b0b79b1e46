/** Where the coding-agent CLI comes from: env override, keel.yaml, default name. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UsageError } from '../../../src/core/index.ts';
import { parseCommandOverride, resolveCliCommand } from '../../../src/runtimes/agent-cli/index.ts';

test('without configuration the CLIs are their usual names on PATH', () => {
  assert.deepEqual(resolveCliCommand('claude-code', undefined, {}), ['claude']);
  assert.deepEqual(resolveCliCommand('codex', [], {}), ['codex']);
});

test('keel.yaml’s command is used as given, program and leading arguments', () => {
  assert.deepEqual(resolveCliCommand('codex', ['node', 'bin/keel-sim-codex.js'], {}), [
    'node',
    'bin/keel-sim-codex.js',
  ]);
});

test('the environment override wins over keel.yaml, per tool', () => {
  const env = { KEEL_CLAUDE_CODE_COMMAND: 'node /opt/sim/claude.js', KEEL_CODEX_COMMAND: ' ' };
  assert.deepEqual(resolveCliCommand('claude-code', ['claude'], env), [
    'node',
    '/opt/sim/claude.js',
  ]);
  assert.deepEqual(resolveCliCommand('codex', ['my-codex'], env), ['my-codex']);
});

test('an override written as a JSON array keeps paths with spaces whole', () => {
  assert.deepEqual(parseCommandOverride('["node", "/My Tools/sim.js"]', 'X'), [
    'node',
    '/My Tools/sim.js',
  ]);
});

test('a broken JSON override is refused naming the variable', () => {
  assert.throws(
    () => resolveCliCommand('codex', undefined, { KEEL_CODEX_COMMAND: '["node", ' }),
    (e) => e instanceof UsageError && /KEEL_CODEX_COMMAND/.test(e.message),
  );
  assert.throws(
    () => parseCommandOverride('[1, 2]', 'KEEL_CODEX_COMMAND'),
    (e) => e instanceof UsageError && /non-empty JSON array of non-empty strings/.test(e.message),
  );
  assert.throws(() => parseCommandOverride('[]', 'KEEL_CODEX_COMMAND'), UsageError);
});
