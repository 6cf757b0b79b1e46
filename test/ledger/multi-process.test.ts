/**
 * The ledger under several real processes, on every dialect: concurrent writers
 * lose and duplicate nothing and never fork the chain; a writer killed with
 * SIGKILL in the middle of its appends leaves no partial batch behind.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { LedgerConfig } from '../../src/ledger/index.ts';
import { DIALECTS, databaseFor } from './harness.ts';

const WORKER = fileURLToPath(new URL('./fixtures/append-worker.ts', import.meta.url));
const WRITERS = ['alpha', 'beta', 'gamma'];
const PER_WRITER = 200;

function startWorker(args: {
  config: LedgerConfig;
  writer: string;
  count: number;
  mode: string;
}): ChildProcess {
  return spawn(process.execPath, [WORKER, JSON.stringify(args)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function finished(
  child: ChildProcess,
): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  return new Promise((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
}

for (const dialect of DIALECTS) {
  describe(`the ${dialect.name} ledger with several processes`, () => {
    it('keeps every event of concurrent writers exactly once, gapless, on one verified chain', async (t) => {
      const db = await databaseFor(dialect, t);
      if (!db) return;
      // The writers also race to create and migrate the fresh database.
      const children = WRITERS.map((writer) =>
        finished(startWorker({ config: db.config, writer, count: PER_WRITER, mode: 'mixed' })),
      );
      const results = await Promise.all(children);
      for (const r of results) assert.equal(r.code, 0, `a writer failed: ${r.stderr}`);

      const ledger = await db.open();
      const events = await ledger.read();
      assert.equal(events.length, WRITERS.length * PER_WRITER);
      assert.deepEqual(
        events.map((e) => e.seq),
        events.map((_, i) => i + 1),
      );
      for (const writer of WRITERS) {
        const mine = events.filter((e) => e.data.writer === writer).map((e) => Number(e.data.i));
        assert.deepEqual(
          mine,
          Array.from({ length: PER_WRITER }, (_, i) => i),
          `${writer}'s events are lost, duplicated or out of order`,
        );
      }
      const result = await ledger.verify();
      assert.deepEqual(
        { ok: result.ok, checked: result.checked },
        { ok: true, checked: WRITERS.length * PER_WRITER },
      );
    });

    it('leaves no partial batch when a writer is killed with SIGKILL mid-append', async (t) => {
      const db = await databaseFor(dialect, t);
      if (!db) return;
      // Create the schema first so the writer is appending, not migrating, when killed.
      await (await db.open()).close();
      const child = startWorker({ config: db.config, writer: 'victim', count: 0, mode: 'loop' });
      const done = finished(child);
      await new Promise<void>((resolve, reject) => {
        let seen = '';
        child.stdout?.on('data', (d: Buffer) => {
          seen += d.toString();
          if (seen.split('\n').length > 15) resolve();
        });
        child.on('close', () => reject(new Error('the writer exited before it was killed')));
      });
      child.kill('SIGKILL');
      const exit = await done;
      assert.equal(exit.signal, 'SIGKILL');

      const ledger = await db.open();
      const result = await ledger.verify();
      assert.equal(result.ok, true, JSON.stringify(result.firstBad));
      const events = await ledger.read({ types: ['test.batch'] });
      const sizes = new Map<number, number>();
      for (const e of events)
        sizes.set(Number(e.data.batch), (sizes.get(Number(e.data.batch)) ?? 0) + 1);
      assert.ok(sizes.size >= 14, `expected at least 14 committed batches, found ${sizes.size}`);
      for (const [batch, size] of sizes)
        assert.equal(size, 20, `batch ${batch} has ${size} of its 20 events`);
      // Every batch the writer reported as committed is there.
      const reported = exit.stdout.trim().split('\n').map(Number);
      for (const b of reported) assert.equal(sizes.get(b), 20, `reported batch ${b} is missing`);
      // The reopened ledger still takes appends.
      const [next] = await ledger.append([{ type: 'test.after', actor: 'test' }]);
      assert.equal(next?.seq, events.length + 1);
    });
  });
}
