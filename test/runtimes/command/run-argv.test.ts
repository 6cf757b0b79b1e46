import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { describe, it } from 'node:test';
import { runArgv } from '../../../src/runtimes/index.ts';

const script = [
  "console.log('key:', process.env.OPENAI_API_KEY ?? 'absent');",
  "console.log('token:', process.env.GITHUB_TOKEN ?? 'absent');",
  "console.log('plain:', process.env.KEEL_PLAIN ?? 'absent');",
  "console.log('printed:', 'sk-proj-abcdefghijklmnopqrstuvwx');",
  "console.log('echoed:', process.argv[1]);",
].join('\n');

describe('commands keel runs (command gates and command agents)', () => {
  it('never see secret-named variables, and secrets in their output are masked', async () => {
    const env = {
      ...process.env,
      OPENAI_API_KEY: 'sk-test-0123456789abcdefghij',
      GITHUB_TOKEN: 'ghp_notarealtokenbutlongenough1234',
      KEEL_PLAIN: 'visible',
    };
    const result = await runArgv(
      [process.execPath, '-e', script, 'my-secret-value-ghp_notarealtokenbutlongenough1234'],
      { cwd: tmpdir(), timeoutMs: 30_000, env },
    );
    assert.equal(result.exitCode, 0, result.output);
    assert.match(result.output, /key: absent/);
    assert.match(result.output, /token: absent/);
    assert.match(result.output, /plain: visible/);
    assert.match(result.output, /printed: \[REDACTED\]/);
    assert.doesNotMatch(result.output, /ghp_notarealtoken/);
    assert.doesNotMatch(result.output, /sk-proj-abcdef/);
  });
});
