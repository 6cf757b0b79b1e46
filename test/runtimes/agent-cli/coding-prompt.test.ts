/** The prompt a coding-agent CLI gets for one attempt. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildCodingPrompt } from '../../../src/runtimes/agent-cli/index.ts';
import { passContext } from './pass-context.ts';

const folder = '.keel/artifacts/WI-7/build';

test('the prompt starts with the marker lines that trace it back to keel', () => {
  const prompt = buildCodingPrompt(passContext(), {
    includeInstructions: false,
    artifactFolder: folder,
  });
  assert.match(
    prompt,
    /^x-keel-agent: implementer\nx-keel-pass: build\nx-keel-attempt: 2\nx-keel-work-item: WI-7\n/,
  );
});

test('it holds the work item, the task, the inputs and where to write each output and what not to touch', () => {
  const prompt = buildCodingPrompt(passContext(), {
    includeInstructions: false,
    artifactFolder: folder,
  });
  assert.match(prompt, /# Work item WI-7 \(feature\): Greet people\n\nSay hello by name\./);
  assert.match(prompt, /# Your task: pass `build`\n\nAdd a greet function\./);
  assert.match(prompt, /# Input artifact spec\.md\n\n# Spec\nGreet by name\./);
  assert.match(prompt, /only files matching `src\/\*\*`/);
  assert.match(prompt, /`\.keel\/artifacts\/WI-7\/build\/notes\.md`/);
  assert.match(prompt, /Do not commit/);
  assert.doesNotMatch(prompt, /You are the implementer/, 'Claude gets them as a system prompt');
  assert.doesNotMatch(prompt, /Findings to fix|You were interrupted/);
});

test('instructions, findings and an interruption are included when they apply', () => {
  const prompt = buildCodingPrompt(
    passContext({
      findings: ['tests failed: greet() is undefined'],
      resumeSession: { tool: 'claude-code', sessionId: 's-1' },
    }),
    { includeInstructions: true, artifactFolder: folder },
  );
  assert.match(prompt, /# Your role\n\nYou are the implementer\./);
  assert.match(prompt, /# Findings to fix \(from the previous attempt\)\n\n- tests failed/);
  assert.match(prompt, /# You were interrupted\n\n.*reset the worktree/);
});

test('an agent without write access is told to write only its outputs', () => {
  const ctx = passContext();
  const agent = { ...ctx.agent, access: { write: [], resources: [] } };
  const prompt = buildCodingPrompt(
    { ...ctx, agent },
    { includeInstructions: false, artifactFolder: folder },
  );
  assert.match(prompt, /You may not change repository files/);
});
