/**
 * A separate process contending for `staging` through the ledger: takes it
 * (try-acquire) `rounds` times, checks its fencing token while holding it,
 * and releases it. Used by the multi-process test.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { openLedger } from '../../../src/ledger/index.ts';
import { LedgerReservations } from '../../../src/scheduling/index.ts';
import { CONFIG } from './fixtures.ts';

const [path, agent, roundsText] = process.argv.slice(2);
const ledger = await openLedger({ kind: 'sqlite', path: path ?? '' });
const r = await LedgerReservations.open(ledger, { config: CONFIG });
let done = 0;
let attempt = 0;
while (done < Number(roundsText)) {
  attempt++;
  const got = await r.tryAcquire({
    owner: { agent: agent ?? 'x', workItem: `WI-${agent}`, attempt },
    priority: 'P2',
    targets: [{ resource: 'staging', mode: 'X' }],
    leaseMs: 60_000,
  });
  if (got.kind !== 'granted') {
    await sleep(2);
    continue;
  }
  const fence = await r.checkFence('staging', got.grants[0]?.fence ?? 0);
  if (!fence.ok) throw new Error(`fence refused while holding: ${fence.reason}`);
  await r.release(got.id);
  done++;
}
await ledger.close();
