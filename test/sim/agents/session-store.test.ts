/** The fakes' session store and attempt counter, shared across processes. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { SessionStore } from '../../../src/sim/claude-code/index.ts';

const run = promisify(execFile);
const storeModule = fileURLToPath(
  new URL('../../../src/sim/claude-code/session-store.ts', import.meta.url),
);

describe('fake session store', () => {
  it('saves, loads and finds the latest session per working directory', () => {
    const dir = mkdtempSync(join(tmpdir(), 'keel-sim-store-'));
    try {
      const store = new SessionStore(dir, 'claude-code');
      const a = store.create('/repo/a', 'm');
      store.save(a);
      // "Latest" has millisecond resolution: let the clock move on before the second save.
      const saved = Date.now();
      while (Date.now() === saved) {}
      const b = store.create('/repo/b', 'm');
      b.contextTokens = 42;
      store.save(b);
      assert.equal(store.load(b.id)?.contextTokens, 42);
      assert.equal(store.latest('/repo/a')?.id, a.id);
      assert.equal(store.latest('/repo/c'), undefined);
      assert.equal(store.latest('/repo/c', true)?.id, b.id);
      assert.equal(
        store.load('../../etc/passwd'),
        undefined,
        'ids never name paths outside the store',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('gives fakes running at the same time distinct attempt numbers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keel-sim-attempts-'));
    try {
      const script = `import { nextAttempt } from ${JSON.stringify(storeModule)}; console.log(nextAttempt(${JSON.stringify(dir)}, 'codex', 'pass:implement'));`;
      const outputs = await Promise.all(
        Array.from({ length: 6 }, () =>
          run(process.execPath, ['--input-type=module', '-e', script]),
        ),
      );
      const attempts = outputs.map((o) => Number(o.stdout.trim())).sort((x, y) => x - y);
      assert.deepEqual(attempts, [1, 2, 3, 4, 5, 6]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
