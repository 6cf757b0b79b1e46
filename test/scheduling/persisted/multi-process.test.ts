/** Several processes share one persisted reservation state through the ledger. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { LedgerReservations } from '../../../src/scheduling/index.ts';
import { CONFIG, open, tempLedgerPath } from './fixtures.ts';

const run = promisify(execFile);
const CHILD = join(import.meta.dirname, 'contender-child.ts');

describe('reservations shared by several processes', () => {
  it('never grants an exclusive resource to two processes at once, and fencing tokens never repeat', async () => {
    const tmp = tempLedgerPath();
    try {
      // Create the ledger first so the children do not race to migrate it.
      await (await open(tmp.path)).close();
      const rounds = 5;
      await Promise.all(
        ['a', 'b', 'c'].map((agent) =>
          run(process.execPath, [CHILD, tmp.path, agent, String(rounds)], { timeout: 60_000 }),
        ),
      );
      const ledger = await open(tmp.path);
      try {
        const events = await ledger.read({ types: ['reservation.*'] });
        let holder: string | null = null;
        const fences: number[] = [];
        for (const e of events) {
          const d = e.data as {
            id?: string;
            reservation?: { id: string };
            grants?: { fence: number }[];
          };
          if (e.type === 'reservation.granted') {
            assert.equal(holder, null, `#${e.seq} granted while ${holder} held staging`);
            holder = d.reservation?.id ?? null;
            fences.push(d.grants?.[0]?.fence ?? 0);
          } else if (e.type === 'reservation.released') {
            assert.equal(d.id, holder, `#${e.seq} released something other than the holder`);
            holder = null;
          }
        }
        assert.equal(fences.length, 3 * rounds);
        assert.deepEqual(
          fences,
          fences.map((_, i) => i + 1),
        );
        assert.equal(await ledger.count({ types: ['reservation.fence_rejected'] }), 0);
        const r = await LedgerReservations.open(ledger, { config: CONFIG });
        assert.equal(r.manager.snapshot().stats.granted, 3 * rounds);
        assert.equal((await r.view()).holders.length, 0);
      } finally {
        await ledger.close();
      }
    } finally {
      tmp.cleanup();
    }
  });
});
