/**
 * Property-based tests of the reservation manager against a simple reference
 * model written independently here: naive pairwise conflict checks over plain
 * lists, no indexes. Random request / release / renew / expiry / crash
 * sequences; runs are bounded so the file stays well under 20 s.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { Priority } from '../../src/core/index.ts';
import {
  type LockMode,
  type Reservation,
  type ReservationEvent,
  ReservationManager,
  type ReservationRequest,
  type ReservationState,
  type Target,
  type TargetInput,
} from '../../src/scheduling/index.ts';

const RESOURCES = [
  { id: 'db', kind: 'database' as const },
  { id: 'db.s', kind: 'schema' as const, parent: 'db' },
  { id: 'db.s.t1', kind: 'table' as const, parent: 'db.s' },
  { id: 'db.s.t2', kind: 'table' as const, parent: 'db.s' },
  { id: 'env', kind: 'environment' as const },
  { id: 'pool', kind: 'pool' as const, units: 2 },
];
const ANCESTORS: Record<string, string[]> = {
  db: [],
  'db.s': ['db'],
  'db.s.t1': ['db', 'db.s'],
  'db.s.t2': ['db', 'db.s'],
  env: [],
};
const AGING = 1000;
const OK = new Set(['IS+IS', 'IS+IX', 'IS+S', 'IS+SIX', 'IX+IS', 'IX+IX', 'S+IS', 'S+S', 'SIX+IS']);
const RANK: Record<Priority, number> = { P0: 0, P1: 1, P2: 2, P3: 3 };

// ---- reference model -------------------------------------------------------

interface Entry {
  node: string;
  mode: LockMode;
  range?: [number, number];
}

function refEntries(targets: readonly Target[]): Entry[] {
  const out: Entry[] = [];
  for (const t of targets) {
    if (t.kind !== 'lock') continue;
    const intent: LockMode = t.mode === 'S' || t.mode === 'IS' ? 'IS' : 'IX';
    for (const a of ANCESTORS[t.resource]!) out.push({ node: a, mode: intent });
    if (t.range) {
      out.push({ node: t.resource, mode: intent });
      out.push({ node: t.resource, mode: t.mode, range: t.range });
    } else out.push({ node: t.resource, mode: t.mode });
  }
  return out;
}

function refConflict(a: readonly Target[], b: readonly Target[]): boolean {
  for (const x of refEntries(a)) {
    for (const y of refEntries(b)) {
      if (x.node !== y.node || !!x.range !== !!y.range) continue;
      if (x.range && y.range && !(x.range[0] < y.range[1] && y.range[0] < x.range[1])) continue;
      if (!OK.has(`${x.mode}+${y.mode}`)) return true;
    }
  }
  return false;
}

const ownerOf = (r: { owner: Reservation['owner'] }) =>
  `${r.owner.agent}/${r.owner.workItem}#${r.owner.attempt}`;
const poolAmount = (targets: readonly Target[]) =>
  targets.reduce((n, t) => n + (t.kind === 'pool' ? t.amount : 0), 0);
const keyOf = (r: { priority: Priority; enqueuedAt: number; seq: number; keyFloor?: number }) => [
  Math.max(RANK[r.priority] * AGING + r.enqueuedAt, r.keyFloor ?? Number.NEGATIVE_INFINITY),
  r.seq,
];
const before = (a: number[], b: number[]) => a[0]! < b[0]! || (a[0] === b[0] && a[1]! < b[1]!);

/** Naive: could `w` be granted now (no conflicting holder, no conflicting earlier waiter, pool room)? */
function refGrantable(
  state: ReservationState,
  w: {
    id: string;
    owner: Reservation['owner'];
    targets: readonly Target[];
    priority: Priority;
    enqueuedAt: number;
    seq: number;
    keyFloor?: number;
  },
): boolean {
  const all = Object.values(state.reservations);
  const k = keyOf(w);
  const held = all.filter((r) => r.status === 'held');
  const ahead = all.filter((r) => r.status === 'waiting' && r.id !== w.id && before(keyOf(r), k));
  for (const r of [...held, ...ahead]) {
    if (ownerOf(r) !== ownerOf(w) && refConflict(w.targets, r.targets)) return false;
  }
  const need = poolAmount(w.targets);
  if (need > 0) {
    const used = held.reduce((n, r) => n + poolAmount(r.targets), 0);
    const queued = ahead.reduce((n, r) => n + poolAmount(r.targets), 0);
    if (2 - used - queued < need) return false;
  }
  return true;
}

/** Safety: no two owners hold conflicting locks; pool units are distinct and within capacity. */
function checkSafety(state: ReservationState): void {
  const held = Object.values(state.reservations).filter((r) => r.status === 'held');
  for (let i = 0; i < held.length; i++) {
    for (let j = i + 1; j < held.length; j++) {
      const a = held[i]!;
      const b = held[j]!;
      if (ownerOf(a) !== ownerOf(b)) {
        assert.ok(
          !refConflict(a.targets, b.targets),
          `incompatible grants coexist: ${a.id} and ${b.id}`,
        );
      }
    }
  }
  const units = held.flatMap((r) => r.grants!.flatMap((g) => g.units ?? []));
  assert.equal(new Set(units).size, units.length, 'a pool unit is granted twice');
  assert.ok(units.length <= 2, 'pool over capacity');
}

/** Cycles made only of AND-waits (lock conflicts, queue order) are certain deadlocks. */
function refLockDeadlock(state: ReservationState): string[] | null {
  const all = Object.values(state.reservations);
  const waiting = all.filter((r) => r.status === 'waiting');
  const lockOnly = new Set(waiting.map(ownerOf));
  for (const w of waiting) if (poolAmount(w.targets) > 0) lockOnly.delete(ownerOf(w));
  const edges = new Map<string, Set<string>>();
  for (const w of waiting) {
    const from = ownerOf(w);
    if (!lockOnly.has(from)) continue;
    const set = edges.get(from) ?? new Set<string>();
    edges.set(from, set);
    for (const r of all) {
      if (r.id === w.id || ownerOf(r) === from) continue;
      if (r.status === 'waiting' && !before(keyOf(r), keyOf(w))) continue;
      if (refConflict(w.targets, r.targets) && lockOnly.has(ownerOf(r))) set.add(ownerOf(r));
    }
  }
  const colour = new Map<string, number>();
  const path: string[] = [];
  const dfs = (n: string): string[] | null => {
    colour.set(n, 1);
    path.push(n);
    for (const s of edges.get(n) ?? []) {
      if (colour.get(s) === 1) return path.slice(path.indexOf(s));
      if (!colour.has(s)) {
        const c = dfs(s);
        if (c) return c;
      }
    }
    path.pop();
    colour.set(n, 2);
    return null;
  };
  for (const n of edges.keys())
    if (!colour.has(n)) {
      const c = dfs(n);
      if (c) return c;
    }
  return null;
}

// ---- command generation ----------------------------------------------------

const lockTarget = fc.oneof(
  fc.record({
    resource: fc.constantFrom('db', 'db.s', 'db.s.t1', 'db.s.t2', 'env'),
    mode: fc.constantFrom<LockMode>('IS', 'IX', 'S', 'SIX', 'X'),
  }),
  fc.record({
    resource: fc.constantFrom('db.s.t1', 'db.s.t2'),
    mode: fc.constantFrom<LockMode>('S', 'X'),
    range: fc.constantFrom<[number, number]>([0, 10], [5, 15], [10, 20], [20, 30]),
  }),
);
const target: fc.Arbitrary<TargetInput> = fc.oneof(
  { weight: 4, arbitrary: lockTarget },
  { weight: 1, arbitrary: fc.constant({ resource: 'pool' }) },
);
type Command =
  | {
      op: 'request';
      agent: string;
      targets: TargetInput[];
      priority: Priority;
      leaseMs: number;
      dt: number;
    }
  | { op: 'release'; pick: number; dt: number }
  | { op: 'renew'; pick: number; dt: number }
  | { op: 'tick'; dt: number }
  | { op: 'crash'; agent: string; dt: number };
const agent = fc.constantFrom('a', 'b', 'c', 'd');
const dt = fc.integer({ min: 0, max: 120 });
const command: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      op: fc.constant('request' as const),
      agent,
      targets: fc.array(target, { minLength: 1, maxLength: 2 }),
      priority: fc.constantFrom<Priority>('P0', 'P1', 'P2', 'P3'),
      leaseMs: fc.constantFrom(100, 400, 5000),
      dt,
    }),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('release' as const), pick: fc.nat(), dt }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('renew' as const), pick: fc.nat(), dt }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('tick' as const), dt }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('crash' as const), agent, dt }) },
);

const owner = (a: string) => ({ agent: a, workItem: `W-${a}`, attempt: 1 });

interface Run {
  m: ReservationManager;
  events: ReservationEvent[];
  now: number;
}

function step(run: Run, c: Command, checkReference: boolean): void {
  run.now += c.dt;
  const { m } = run;
  const all = Object.values(m.snapshot().reservations);
  // Mostly act on held reservations (their release wakes waiters); sometimes cancel a waiter.
  const held = all
    .filter((r) => r.status === 'held')
    .map((r) => r.id)
    .sort();
  const ids = held.length > 0 && c.dt % 4 !== 0 ? held : all.map((r) => r.id).sort();
  const pick = (n: number) => ids[n % Math.max(1, ids.length)];
  let events: ReservationEvent[];
  switch (c.op) {
    case 'request': {
      const request: ReservationRequest = {
        owner: owner(c.agent),
        priority: c.priority,
        targets: c.targets,
        leaseMs: c.leaseMs,
      };
      const before = m.snapshot();
      const t = m.request(request, run.now);
      events = t.events;
      if (checkReference && t.result.kind !== 'refused') {
        const queuedOrGranted = t.events.find(
          (e) => e.type === 'reservation.granted' || e.type === 'reservation.queued',
        );
        const rec =
          queuedOrGranted && 'reservation' in queuedOrGranted
            ? queuedOrGranted.reservation
            : undefined;
        assert.ok(rec);
        const expect = refGrantable(before, { ...rec, enqueuedAt: run.now });
        assert.equal(
          t.result.kind,
          expect ? 'granted' : 'queued',
          `reference disagrees on ${JSON.stringify(c)}`,
        );
      }
      break;
    }
    case 'release': {
      const id = pick(c.pick);
      events = id ? m.release(id, run.now).events : [];
      break;
    }
    case 'renew': {
      const id = pick(c.pick);
      events = id ? m.renew(id, run.now).events : [];
      break;
    }
    case 'tick':
      events = m.tick(run.now).events;
      if (refLockDeadlock(m.snapshot()) !== null)
        assert.fail(`a deadlock survived tick: ${refLockDeadlock(m.snapshot())}`);
      break;
    case 'crash':
      events = m.ownerDied(owner(c.agent), run.now).events;
      break;
  }
  run.events.push(...events);
  const state = m.snapshot();
  checkSafety(state);
  if (c.op !== 'request') {
    // Nothing left waiting that could have been served: release and expiry woke every eligible waiter.
    for (const r of Object.values(state.reservations)) {
      if (r.status === 'waiting')
        assert.ok(!refGrantable(state, r), `waiter ${r.id} was grantable but left waiting`);
    }
  }
}

/** Fair load: owners that wait for nothing finish and release; ticks break deadlocks. */
function drain(run: Run): void {
  for (let round = 0; round < 200; round++) {
    const state = run.m.snapshot();
    const all = Object.values(state.reservations);
    if (all.length === 0) return;
    const blocked = new Set(all.filter((r) => r.status === 'waiting').map(ownerOf));
    const done = all
      .filter((r) => r.status === 'held' && !blocked.has(ownerOf(r)))
      .map((r) => r.id)
      .sort();
    run.now += 10;
    for (const id of done) run.events.push(...run.m.release(id, run.now).events);
    // Live holders keep renewing, so only deadlock detection can free a cycle.
    for (const r of Object.values(run.m.snapshot().reservations)) {
      if (r.status === 'held') run.events.push(...run.m.renew(r.id, run.now).events);
    }
    run.events.push(...run.m.tick(run.now).events);
    checkSafety(run.m.snapshot());
  }
  assert.fail(
    `waiters never granted under fair load: ${Object.keys(run.m.snapshot().reservations).join(', ')}`,
  );
}

function checkFences(events: readonly ReservationEvent[]): void {
  const last = new Map<string, number>();
  for (const e of events) {
    if (e.type !== 'reservation.granted') continue;
    for (const g of e.grants) {
      assert.ok(g.fence > (last.get(g.resource) ?? 0), `fence on ${g.resource} did not increase`);
      last.set(g.resource, g.fence);
    }
  }
}

function checkReplay(run: Run): void {
  const config = { resources: RESOURCES, agingStepMs: AGING, preemption: run.m.config.preemption };
  assert.deepEqual(ReservationManager.replay(config, run.events).snapshot(), run.m.snapshot());
  const json = JSON.parse(JSON.stringify(run.m.snapshot()));
  assert.deepEqual(ReservationManager.restore(json).snapshot(), run.m.snapshot());
}

describe('reservation manager properties', () => {
  it('agrees with the reference model on every grant and queue decision, and never leaves a grantable waiter', () => {
    fc.assert(
      fc.property(fc.array(command, { maxLength: 40, size: 'max' }), (commands) => {
        const run: Run = {
          m: ReservationManager.create({
            resources: RESOURCES,
            agingStepMs: AGING,
            preemption: false,
          }),
          events: [],
          now: 0,
        };
        for (const c of commands) step(run, c, true);
      }),
      { numRuns: 150 },
    );
  });

  it('never lets incompatible grants coexist, breaks every deadlock and grants every waiter under fair load', () => {
    fc.assert(
      fc.property(
        fc.array(command, { maxLength: 40, size: 'max' }),
        fc.boolean(),
        (commands, preemption) => {
          const run: Run = {
            m: ReservationManager.create({ resources: RESOURCES, agingStepMs: AGING, preemption }),
            events: [],
            now: 0,
          };
          for (const c of commands) step(run, c, false);
          drain(run);
          checkFences(run.events);
          checkReplay(run);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('issues strictly increasing fencing tokens per resource and reproduces its state by replay and restore', () => {
    fc.assert(
      fc.property(fc.array(command, { maxLength: 50, size: 'max' }), (commands) => {
        const run: Run = {
          m: ReservationManager.create({ resources: RESOURCES, agingStepMs: AGING }),
          events: [],
          now: 0,
        };
        for (const c of commands) step(run, c, false);
        checkFences(run.events);
        checkReplay(run);
      }),
      { numRuns: 150 },
    );
  });
});
