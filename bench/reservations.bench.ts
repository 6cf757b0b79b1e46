/**
 * Reservation manager throughput, in memory (the persisted figures will come
 * with the ledger, which appends each transition's events): uncontended and
 * contended grant+release, deadlock detection over 10,000 waiters, and replay
 * of the resulting event stream. Method and results: docs/bench/scheduling.md.
 */
import {
  type ReservationEvent,
  ReservationManager,
  type ResourceDecl,
} from '../src/scheduling/index.ts';

const OPS = Number(process.env.KEEL_BENCH_RESERVATION_OPS ?? 100_000);
const WAITERS = Number(process.env.KEEL_BENCH_DEADLOCK_WAITERS ?? 10_000);

function tables(n: number): ResourceDecl[] {
  return [
    { id: 'db', kind: 'database' },
    { id: 'db.s', kind: 'schema', parent: 'db' },
    ...Array.from({ length: n }, (_, i) => ({
      id: `db.s.t${i}`,
      kind: 'table' as const,
      parent: 'db.s',
    })),
  ];
}

const owner = (i: number) => ({ agent: `agent-${i % 50}`, workItem: `WI-${i}`, attempt: 1 });

function rate(count: number, ms: number): string {
  return `${Math.round((count / ms) * 1000).toLocaleString('en-US')}/s`;
}

function timed<T>(fn: () => T): { ms: number; value: T } {
  const start = performance.now();
  const value = fn();
  return { ms: performance.now() - start, value };
}

function uncontended(): void {
  const m = ReservationManager.create({ resources: tables(1000) });
  const events: ReservationEvent[] = [];
  const { ms } = timed(() => {
    for (let i = 0; i < OPS; i++) {
      const t = m.request(
        {
          owner: owner(i),
          priority: 'P2',
          targets: [{ resource: `db.s.t${i % 1000}`, mode: 'X' }],
          leaseMs: 60_000,
        },
        i,
      );
      events.push(...t.events);
      if (t.result.kind !== 'granted') throw new Error('expected an uncontended grant');
      events.push(...m.release(t.result.id, i).events);
    }
  });
  console.log(
    `uncontended grant+release (X on 1 of 1,000 tables): ${OPS.toLocaleString('en-US')} pairs in ${ms.toFixed(0)} ms = ${rate(OPS, ms)}`,
  );
  const replay = timed(() => ReservationManager.replay({ resources: tables(1000) }, events));
  console.log(
    `replay of ${events.length.toLocaleString('en-US')} events: ${replay.ms.toFixed(0)} ms = ${rate(events.length, replay.ms)}`,
  );
}

function contended(queueDepth: number): void {
  const m = ReservationManager.create({ resources: tables(1) });
  const ids: string[] = [];
  let n = 0;
  const ask = (at: number) => {
    const t = m.request(
      {
        owner: owner(n++),
        priority: 'P2',
        targets: [{ resource: 'db.s.t0', mode: 'X' }],
        leaseMs: 60_000,
      },
      at,
    );
    if (t.result.kind !== 'granted' && t.result.kind !== 'queued') throw new Error(t.result.kind);
    ids.push(t.result.id);
  };
  for (let i = 0; i <= queueDepth; i++) ask(0);
  const { ms } = timed(() => {
    for (let i = 0; i < OPS; i++) {
      // Release the holder; the head waiter is granted; a new requester joins the back.
      const r = m.release(ids[i]!, i + 1).result;
      if (!r.released || r.granted.length !== 1) throw new Error('expected exactly one hand-over');
      ask(i + 1);
    }
  });
  console.log(
    `contended hand-over (one X table, ${queueDepth} waiters queued): ${OPS.toLocaleString('en-US')} release+grant+enqueue in ${ms.toFixed(0)} ms = ${rate(OPS, ms)}`,
  );
}

function deadlocks(): void {
  // Owner i holds table i and waits for table i+1 within blocks of 100; in
  // every other block the last owner waits for the block's first table (a
  // 100-owner cycle), in the others the chain ends at a free owner (no deadlock).
  const m = ReservationManager.create({ resources: tables(WAITERS) });
  for (let i = 0; i < WAITERS; i++) {
    m.request(
      {
        owner: owner(i),
        priority: i % 7 === 0 ? 'P3' : 'P2',
        targets: [{ resource: `db.s.t${i}`, mode: 'X' }],
        leaseMs: 600_000,
      },
      0,
    );
  }
  const BLOCK = 100;
  for (let i = 0; i < WAITERS; i++) {
    const start = i - (i % BLOCK);
    const last = i % BLOCK === BLOCK - 1;
    const cyclic = (start / BLOCK) % 2 === 0;
    if (last && !cyclic) continue;
    const next = last ? start : i + 1;
    m.request(
      {
        owner: owner(i),
        priority: 'P2',
        targets: [{ resource: `db.s.t${next}`, mode: 'X' }],
        leaseMs: 600_000,
      },
      1,
    );
  }
  const waiting = Object.values(m.snapshot().reservations).filter(
    (r) => r.status === 'waiting',
  ).length;
  const graph = timed(() => m.waitForGraph(2));
  const detect = timed(() => m.detectDeadlocks(2));
  const cycles = detect.value.result.length;
  console.log(
    `deadlock detection: ${waiting.toLocaleString('en-US')} waiters, ${cycles} cycles found and broken in ${detect.ms.toFixed(0)} ms (wait-for graph alone: ${graph.ms.toFixed(0)} ms)`,
  );
  const clean = timed(() => m.detectDeadlocks(3));
  console.log(
    `deadlock detection with no cycle left: ${clean.ms.toFixed(0)} ms (${clean.value.result.length} cycles)`,
  );
}

uncontended();
contended(16);
contended(1000);

deadlocks();
