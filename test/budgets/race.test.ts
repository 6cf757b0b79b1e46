/**
 * The budget guarantee under real concurrency: over a thousand dispatches from
 * async workers in this process and two child processes reserve and settle
 * against the same budgets in one database. Hard cap: settled spend never
 * passes the limit. Default: any overshoot is bounded by what in-flight calls
 * cost beyond their estimates plus what people approved past the limit.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { emptyBook, foldBudgetEvents } from '../../src/budgets/index.ts';
import { DIALECTS, databaseFor } from '../ledger/harness.ts';
import { RACE_LIMIT_MICROS, type RaceArgs, type RaceCounts, runRace } from './fixtures/race.ts';

const run = promisify(execFile);
const WORKER = fileURLToPath(new URL('./fixtures/race-worker.ts', import.meta.url));
const WORKERS = 4;
const PER_WORKER = 90; // 3 participants × 4 workers × 90 = 1,080 dispatches

async function race(config: unknown, mode: 'hard' | 'soft', prefix: string, seed: number) {
  const args: RaceArgs = { prefix, mode, workers: WORKERS, perWorker: PER_WORKER, seed };
  const { stdout } = await run(process.execPath, [WORKER, JSON.stringify({ config, race: args })]);
  return JSON.parse(stdout) as RaceCounts;
}

for (const dialect of DIALECTS) {
  describe(`budgets under concurrent dispatch on ${dialect.name}`, { concurrency: true }, () => {
    for (const mode of ['hard', 'soft'] as const) {
      it(`${mode === 'hard' ? 'never lets settled spend pass a hard cap' : 'bounds the overshoot of a soft budget by estimate shortfalls and approvals'} over 1,080 dispatches from three processes`, async (t) => {
        const db = await databaseFor(dialect, t);
        if (!db) return;
        const store = await db.open();
        const all = await Promise.all([
          race(db.config, mode, 'p1', 1),
          race(db.config, mode, 'p2', 2),
          runRace(store, { prefix: 'p0', mode, workers: WORKERS, perWorker: PER_WORKER, seed: 3 }),
        ]);
        const total = all.reduce(
          (a, c) => ({ reserved: a.reserved + c.reserved, waiting: a.waiting + c.waiting }),
          { reserved: 0, waiting: 0 },
        );
        assert.equal(total.reserved + total.waiting, 3 * WORKERS * PER_WORKER);
        assert.ok(total.waiting > 0, 'the limit must bind for the test to mean anything');
        assert.ok(total.reserved > 50, 'and some dispatches must get through');

        const book = foldBudgetEvents(emptyBook(), await store.read());
        assert.equal(book.reservations.size, 0, 'every reservation was settled');
        const settled = (book.settled.get('project-total') ?? []).reduce((a, s) => a + s.micros, 0);
        const reservedEvents = await store.count({ types: ['budget.reserved'] });
        assert.equal(reservedEvents, total.reserved, 'one reservation per admitted dispatch');
        if (mode === 'hard') {
          assert.ok(settled <= RACE_LIMIT_MICROS, `settled ${settled} µ$ > limit`);
          assert.equal(book.pastLimitMicros.get('project-total') ?? 0, 0);
        } else {
          const overshoot = Math.max(0, settled - RACE_LIMIT_MICROS);
          const bound =
            (book.excessMicros.get('project-total') ?? 0) +
            (book.pastLimitMicros.get('project-total') ?? 0);
          t.diagnostic(
            `soft budget: settled ${settled} µ$ against ${RACE_LIMIT_MICROS}; overshoot ${overshoot} µ$ ≤ bound ${bound} µ$`,
          );
          assert.ok(overshoot <= bound, `overshoot ${overshoot} > bound ${bound}`);
        }
        const chain = await store.verify();
        assert.equal(chain.ok, true);
      });
    }
  });
}
