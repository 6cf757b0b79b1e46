/** Argument builders of both CLIs: argv arrays from an agent's settings, bad settings refused. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UsageError } from '../../../src/core/index.ts';
import { buildClaudeArgs } from '../../../src/runtimes/claude-code/index.ts';
import { buildCodexArgs } from '../../../src/runtimes/codex/index.ts';

describe('buildClaudeArgs', () => {
  it('builds a headless stream-json run with every setting, prompt on stdin', () => {
    const { args, stdin } = buildClaudeArgs({
      prompt: 'Fix the bug',
      model: 'claude-sonnet-4-5',
      maxTurns: 12,
      allowedTools: ['Edit', 'Bash(npm test:*)'],
      disallowedTools: ['WebSearch'],
      permissionMode: 'acceptEdits',
      resumeSessionId: 'abc-123',
      appendSystemPrompt: 'Be brief.',
    });
    assert.deepEqual(args, [
      '-p',
      '--output-format',
      'stream-json',
      '--verbose',
      '--model',
      'claude-sonnet-4-5',
      '--max-turns',
      '12',
      '--allowedTools',
      'Edit,Bash(npm test:*)',
      '--disallowedTools',
      'WebSearch',
      '--permission-mode',
      'acceptEdits',
      '--resume',
      'abc-123',
      '--append-system-prompt',
      'Be brief.',
    ]);
    assert.equal(stdin, 'Fix the bug');
  });

  it('puts an argument prompt after -- so a leading dash is not an option', () => {
    const { args, stdin } = buildClaudeArgs({ prompt: '--help me', promptVia: 'argument' });
    assert.deepEqual(args.slice(-2), ['--', '--help me']);
    assert.equal(stdin, '');
  });

  it('refuses a non-positive max turns, an unknown permission mode and an empty model', () => {
    assert.throws(() => buildClaudeArgs({ prompt: 'x', maxTurns: 0 }), UsageError);
    assert.throws(
      () => buildClaudeArgs({ prompt: 'x', permissionMode: 'yolo' as never }),
      /permission mode "yolo"/,
    );
    assert.throws(() => buildClaudeArgs({ prompt: 'x', model: ' ' }), /model is empty/);
  });
});

describe('buildCodexArgs', () => {
  it('builds exec --json with the sandbox, model and directory, prompt on stdin', () => {
    const { args, stdin } = buildCodexArgs({
      prompt: 'Fix the bug',
      model: 'gpt-5-codex',
      sandbox: 'workspace-write',
      skipGitRepoCheck: true,
      cd: '/work/tree',
      config: { model_reasoning_effort: 'high' },
    });
    assert.deepEqual(args, [
      'exec',
      '--json',
      '--model',
      'gpt-5-codex',
      '--sandbox',
      'workspace-write',
      '--skip-git-repo-check',
      '-C',
      '/work/tree',
      '-c',
      'model_reasoning_effort=high',
      '-',
    ]);
    assert.equal(stdin, 'Fix the bug');
  });

  it('resumes a thread with the exec options before the resume subcommand', () => {
    const { args } = buildCodexArgs({
      prompt: 'go on',
      promptVia: 'argument',
      resumeSessionId: 'th-1',
      fullAuto: true,
    });
    assert.deepEqual(args, ['exec', '--json', '--full-auto', 'resume', 'th-1', 'go on']);
    assert.deepEqual(buildCodexArgs({ prompt: 'x', resumeLast: true }).args.slice(-3), [
      'resume',
      '--last',
      '-',
    ]);
  });

  it('refuses an unknown sandbox and a resume of both a session and the last one', () => {
    assert.throws(
      () => buildCodexArgs({ prompt: 'x', sandbox: 'none' as never }),
      /sandbox "none"/,
    );
    assert.throws(
      () => buildCodexArgs({ prompt: 'x', resumeLast: true, resumeSessionId: 'a' }),
      UsageError,
    );
  });
});
