/** `keel sim serve` as a real process: starts, answers over HTTP, stops cleanly on SIGTERM. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { main } from '../../../src/cli/main.ts';
import { keelBin } from '../../helpers/cli.ts';

/** Runs keel in-process (for the cases that exit before serving): faster than a process per case. */
async function runInProcess(
  args: string[],
  cwd: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const sink = (append: (s: string) => void) =>
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        append(chunk.toString());
        done();
      },
    });
  const code = await main(args, {
    cwd,
    env: { ...process.env, NO_COLOR: '1' },
    streams: { stdout: sink((s) => (stdout += s)), stderr: sink((s) => (stderr += s)) },
  });
  return { code, stdout, stderr };
}

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'keel-sim-serve-'));
  writeFileSync(
    join(dir, 'wind.yaml'),
    'rules:\n  - name: greet\n    match: { content: "^hello$" }\n    reply: { text: "hello from the tunnel" }\n',
  );
  writeFileSync(
    join(dir, 'broken.yaml'),
    'rules:\n  - match: { agent: a }\n    reply: { fault: meltdown }\n',
  );
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('keel sim serve', () => {
  it('serves the scenario over HTTP and exits 0 on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      [keelBin, 'sim', 'serve', '--scenario', 'wind.yaml', '--port', '0', '--json'],
      {
        cwd: dir,
        env: { ...process.env, NO_COLOR: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const [first] = (await once(child.stdout, 'data')) as [Buffer];
    const info = JSON.parse(first.toString().split('\n')[0] ?? '') as {
      url: string;
      env: Record<string, string>;
    };
    assert.match(info.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(info.env.ANTHROPIC_BASE_URL, `${info.url}/v1`);

    const res = await fetch(`${info.env.ANTHROPIC_BASE_URL}/messages`, {
      method: 'POST',
      headers: {
        'x-api-key': 'k',
        'anthropic-version': '2023-06-01',
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        model: 'claude-sonnet-4-5',
        max_tokens: 50,
        messages: [{ role: 'user', content: 'hello' }],
      }),
    });
    const body = (await res.json()) as { content: { text: string }[] };
    assert.equal(body.content[0]?.text, 'hello from the tunnel');

    child.kill('SIGTERM');
    const [code] = (await once(child, 'close')) as [number | null];
    assert.equal(code, 0);
    assert.match(stderr, /POST \/v1\/messages claude-sonnet-4-5 -> 200 answered \[greet\]/);
    assert.match(stderr, /wind tunnel stopped \(SIGTERM\) after 1 request/);
    assert.doesNotMatch(stderr, /x-api-key|\bk\b/);
  });

  it('prints the URL and the environment variables for people', async () => {
    const child = spawn(process.execPath, [keelBin, 'sim', 'serve', '--port', '0', '--quiet'], {
      cwd: dir,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    while (!stdout.includes('Ctrl-C')) await once(child.stdout, 'data');
    child.kill('SIGINT');
    const [code] = (await once(child, 'close')) as [number | null];
    assert.equal(code, 0);
    assert.match(stdout, /wind tunnel listening on http:\/\/127\.0\.0\.1:\d+/);
    assert.match(stdout, /export OPENAI_BASE_URL=http:\/\/127\.0\.0\.1:\d+\/v1/);
    assert.match(stdout, /export ANTHROPIC_API_KEY=/);
  });

  it('refuses an invalid scenario with its location and exit code 1, without starting', async () => {
    const result = await runInProcess(
      ['sim', 'serve', '--scenario', 'broken.yaml', '--port', '0'],
      dir,
    );
    assert.equal(result.code, 1);
    assert.match(result.stderr, /broken\.yaml:3:21: rules\[0\]\.reply\.fault: Invalid option/);
    assert.match(result.stderr, /hint: .*docs\/wind-tunnel\.md/);
    assert.equal(result.stdout, '');
  });

  it('rejects a port that is not a number with exit code 2', async () => {
    const result = await runInProcess(['sim', 'serve', '--port', 'eighty'], dir);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--port must be a whole number from 0 to 65535, got "eighty"/);
  });

  it('says the port is taken, with exit code 1, when it cannot listen', async () => {
    const { createServer } = await import('node:http');
    const blocker = createServer();
    await new Promise<void>((done) => blocker.listen(0, '127.0.0.1', done));
    const { port } = blocker.address() as { port: number };
    try {
      const result = await runInProcess(['sim', 'serve', '--port', String(port)], dir);
      assert.equal(result.code, 1);
      assert.match(
        result.stderr,
        new RegExp(`cannot listen on 127\\.0\\.0\\.1:${port}: EADDRINUSE`),
      );
      assert.match(result.stderr, /hint: the port is taken/);
    } finally {
      blocker.close();
    }
  });
});
