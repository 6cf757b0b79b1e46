import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidInputError } from '../../../src/core/index.ts';
import {
  assertCodingAgentsAvailable,
  findExecutable,
} from '../../../src/runtimes/agent-cli/index.ts';

const env = { PATH: '/usr/bin:/bin' };

describe('coding-agent preflight', () => {
  it('finds programs on PATH and by path, and not missing ones', () => {
    assert.equal(findExecutable('git', env, '/'), true);
    assert.equal(findExecutable(process.execPath, env, '/'), true);
    assert.equal(findExecutable('no-such-coding-agent-cli', env, '/'), false);
  });

  it('passes when no coding agent is needed, or when the configured command exists', () => {
    assertCodingAgentsAvailable(new Set(), undefined, env, '/');
    assertCodingAgentsAvailable(
      new Set(['claude-code']),
      { claudeCode: { command: [process.execPath, 'x.js'] } },
      env,
      '/',
    );
  });

  it('names each missing CLI and how to point keel at it', () => {
    assert.throws(
      () =>
        assertCodingAgentsAvailable(
          new Set(['claude-code', 'codex']),
          undefined,
          { PATH: '/nonexistent' },
          '/',
        ),
      (error: unknown) => {
        assert.ok(error instanceof InvalidInputError);
        assert.match(error.message, /cannot start claude-code \(`claude`\) and codex \(`codex`\)/);
        assert.match(error.hint ?? '', /KEEL_CLAUDE_CODE_COMMAND \/ KEEL_CODEX_COMMAND/);
        return true;
      },
    );
  });

  it('honours the environment override', () => {
    assertCodingAgentsAvailable(
      new Set(['codex']),
      undefined,
      { PATH: '/nonexistent', KEEL_CODEX_COMMAND: `${process.execPath} fake.js` },
      '/',
    );
  });
});
