/** The argv each coding-agent runtime builds from the agent's settings and the engine's choices. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { claudeCodeCli } from '../../../src/runtimes/claude-code/index.ts';
import { codexCli } from '../../../src/runtimes/codex/index.ts';
import type { ModelTarget } from '../../../src/runtimes/index.ts';
import { passContext } from './pass-context.ts';

const target = (model: string, provider: string): ModelTarget => ({
  provider: { name: provider, kind: provider as never },
  model,
});

test('Claude Code runs headless with the engine’s model, acceptEdits by default and the instructions as system prompt', () => {
  const ctx = passContext({ target: target('claude-sonnet-4-5', 'anthropic') });
  const { args, stdin } = claudeCodeCli.invocation(ctx, 'the prompt', undefined);
  assert.deepEqual(args, [
    '-p',
    '--output-format',
    'stream-json',
    '--verbose',
    '--model',
    'claude-sonnet-4-5',
    '--permission-mode',
    'acceptEdits',
    '--append-system-prompt',
    'You are the implementer.',
  ]);
  assert.equal(stdin, 'the prompt');
});

test('Claude Code takes max turns, tools and permission mode from the agent, and resumes a session', () => {
  const ctx = passContext();
  const agent = {
    ...ctx.agent,
    runtime: {
      kind: 'claude-code' as const,
      maxTurns: 9,
      allowedTools: ['Edit', 'Bash(npm test:*)'],
      disallowedTools: ['WebFetch'],
      permissionMode: 'default' as const,
      timeoutMs: undefined,
    },
  };
  const { args } = claudeCodeCli.invocation({ ...ctx, agent }, 'p', {
    tool: 'claude-code',
    sessionId: 'sess-1',
  });
  assert.deepEqual(args.slice(4, 14), [
    '--max-turns',
    '9',
    '--allowedTools',
    'Edit,Bash(npm test:*)',
    '--disallowedTools',
    'WebFetch',
    '--permission-mode',
    'default',
    '--resume',
    'sess-1',
  ]);
  assert.ok(!args.includes('--model'), 'no model chosen: the CLI’s default');
});

test('Codex writes in the workspace sandbox by default, with the engine’s model, and resumes a thread', () => {
  const ctx = passContext({ target: target('gpt-5-codex', 'openai') });
  const agent = {
    ...ctx.agent,
    runtime: { kind: 'codex' as const, sandbox: undefined, timeoutMs: undefined },
  };
  const fresh = codexCli.invocation({ ...ctx, agent }, 'the prompt', undefined);
  assert.deepEqual(fresh.args, [
    'exec',
    '--json',
    '--model',
    'gpt-5-codex',
    '--sandbox',
    'workspace-write',
    '-',
  ]);
  assert.equal(fresh.stdin, 'the prompt');
  const resumed = codexCli.invocation(
    { ...ctx, agent: { ...agent, runtime: { ...agent.runtime, sandbox: 'read-only' as const } } },
    'p',
    { tool: 'codex', sessionId: 'thread-1' },
  );
  assert.deepEqual(resumed.args.slice(-4), ['read-only', 'resume', 'thread-1', '-']);
});

test('the runtimes carry the co-author lines their tools write', () => {
  assert.equal(claudeCodeCli.coAuthor, 'Claude <noreply@anthropic.com>');
  assert.equal(codexCli.coAuthor, 'Codex <codex@openai.com>');
});
