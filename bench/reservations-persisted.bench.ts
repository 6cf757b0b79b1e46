/**
 * Reservations persisted in the ledger vs in memory: grant+release pairs where
 * each operation is one ledger transaction (catch up, decide, append the
 * events) on a SQLite ledger, the same pairs on the bare in-memory manager, and
 * the cost of reopening (replaying every reservation event). Method and
 * results: docs/bench/scheduling.md.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLedger } from '../src/ledger/index.ts';
import {
  LedgerReservations,
  type ReservationConfig,
  ReservationManager,
  type ResourceDecl,
} from '../src/scheduling/index.ts';

const OPS = Number(process.env.KEEL_BENCH_PERSISTED_OPS ?? 2_000);

const resources: ResourceDecl[] = [
  { id: 'db', kind: 'database' },
  { id: 'db.s', kind: 'schema', parent: 'db' },
  ...Array.from({ length: 100 }, (_, i) => ({
    id: `db.s.t${i}`,
    kind: 'table' as const,
    parent: 'db.s',
  })),
];
const config: ReservationConfig = { resources };

const request = (i: number) => ({
  owner: { agent: `agent-${i % 50}`, workItem: `WI-${i}`, attempt: 1 },
  priority: 'P2' as const,
  targets: [{ resource: `db.s.t${i % 100}`, mode: 'X' as const }],
  leaseMs: 60_000,
});

const rate = (count: number, ms: number) =>
  `${Math.round((count / ms) * 1000).toLocaleString('en-US')}/s`;

function inMemory(): void {
  const m = ReservationManager.create(config);
  const start = performance.now();
  for (let i = 0; i < OPS; i++) {
    const t = m.request(request(i), i);
    if (t.result.kind !== 'granted') throw new Error('expected a grant');
    m.release(t.result.id, i);
  }
  const ms = performance.now() - start;
  console.log(
    `in memory: ${OPS.toLocaleString('en-US')} grant+release pairs in ${ms.toFixed(0)} ms = ${rate(OPS, ms)}`,
  );
}

async function persisted(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'keel-bench-rsv-'));
  try {
    const path = join(dir, 'ledger.db');
    const ledger = await openLedger({ kind: 'sqlite', path });
    const r = await LedgerReservations.open(ledger, { config });
    const start = performance.now();
    for (let i = 0; i < OPS; i++) {
      const got = await r.request(request(i));
      if (got.kind !== 'granted') throw new Error('expected a grant');
      await r.release(got.id);
    }
    const ms = performance.now() - start;
    console.log(
      `persisted (SQLite, one transaction per operation): ${OPS.toLocaleString('en-US')} pairs in ${ms.toFixed(0)} ms = ${rate(OPS, ms)} (${((ms / OPS / 2) * 1000).toFixed(0)} µs per operation)`,
    );
    // Two handles: every decision first catches up with the other's events.
    const other = await LedgerReservations.open(ledger, { config });
    const start2 = performance.now();
    const half = Math.floor(OPS / 2);
    for (let i = 0; i < half; i++) {
      for (const h of [r, other]) {
        const got = await h.request(request(i));
        if (got.kind !== 'granted') throw new Error('expected a grant');
        await h.release(got.id);
      }
    }
    const ms2 = performance.now() - start2;
    console.log(
      `persisted, two handles alternating (each catches up on the other's events): ${(half * 2).toLocaleString('en-US')} pairs in ${ms2.toFixed(0)} ms = ${rate(half * 2, ms2)}`,
    );
    const events = await ledger.count({ types: ['reservation.*'] });
    await ledger.close();
    const reopenStart = performance.now();
    const again = await openLedger({ kind: 'sqlite', path });
    await LedgerReservations.open(again, { config });
    const reopenMs = performance.now() - reopenStart;
    await again.close();
    console.log(
      `reopen (open the ledger, replay ${events.toLocaleString('en-US')} reservation events): ${reopenMs.toFixed(0)} ms = ${rate(events, reopenMs)}`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

inMemory();
await persisted();
