/** CLI failure kinds mapped onto the engine's, with findings for the next attempt. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { engineKindOf, toRuntimeFailure } from '../../../src/runtimes/agent-cli/index.ts';
import { AGENT_FAILURE_KINDS, AgentRunError } from '../../../src/runtimes/claude-code/index.ts';

test('limits and refusals are output failures; everything else is infrastructure', () => {
  const output = AGENT_FAILURE_KINDS.filter((k) => engineKindOf(k) === 'output');
  assert.deepEqual(output.sort(), ['max_budget', 'max_turns', 'permission_denied']);
  for (const k of AGENT_FAILURE_KINDS)
    assert.ok(['output', 'infrastructure'].includes(engineKindOf(k)), k);
});

test('the failure names the tool and kind and tells the next attempt what to change', () => {
  const failure = toRuntimeFailure(
    'Claude Code',
    new AgentRunError('max_turns', 'Claude Code stopped at its maximum number of turns (12)'),
  );
  assert.equal(failure.kind, 'output');
  assert.match(failure.message, /^Claude Code max_turns: .*\(12\)/);
  assert.match(failure.findings[0] ?? '', /smallest complete change/);
  assert.ok(failure.hint);
  const crash = toRuntimeFailure('Codex', new AgentRunError('crashed', 'no completed turn'));
  assert.equal(crash.kind, 'infrastructure');
  assert.deepEqual(crash.findings, ['no completed turn']);
});
