/**
 * Read models over the manager: priority inheritance and the view that
 * `keel reservations --json` will print (holders, waiters, leases, tokens,
 * deadlocks resolved).
 */
import type { Priority } from '../../core/index.ts';
import { agedPriority, ownerKey, rank } from './lock-table.ts';
import type { ReservationManager } from './manager.ts';
import type { DeadlockReport, Grant, Owner, ReservationStats, Target } from './types.ts';

/**
 * Priority inheritance: every owner that (directly or through a chain of waits)
 * blocks a waiter runs at least at that waiter's effective priority. Returns the
 * inherited priority of each blocking owner whose own priority is lower.
 */
export function inheritedPriorities(
  manager: ReservationManager,
  now: number,
): Map<string, Priority> {
  const graph = manager.waitForGraph(now);
  const table = manager.lockTable;
  const step = manager.config.agingStepMs;
  const level = new Map<string, number>();
  for (const [owner, node] of graph) {
    let best = 3;
    for (const id of node.waiting) {
      const r = table.state.reservations[id]!;
      best = Math.min(best, rank(agedPriority(r.priority, now - r.enqueuedAt, step)));
    }
    level.set(owner, best);
  }
  // Process waiters most urgent first; the first level to reach an owner is its best.
  const inherited = new Map<string, number>();
  for (let r = 0; r <= 3; r++) {
    const frontier = [...level].filter(([, l]) => l === r).map(([o]) => o);
    while (frontier.length > 0) {
      const o = frontier.pop()!;
      const node = graph.get(o);
      if (!node) continue;
      for (const s of [...node.and, ...node.or.flat()]) {
        if (inherited.has(s)) continue;
        inherited.set(s, r);
        frontier.push(s);
      }
    }
  }
  const out = new Map<string, Priority>();
  for (const [owner, r] of inherited) {
    const own = manager.ownerPriority(owner);
    if (own !== undefined && r < rank(own)) out.set(owner, `P${r}` as Priority);
  }
  return out;
}

export interface HolderView {
  id: string;
  owner: Owner;
  priority: Priority;
  /** Set when this holder blocks a more urgent waiter. */
  inheritedPriority?: Priority;
  targets: Target[];
  grants: Grant[];
  grantedAt: number;
  expiresAt: number;
  remainingMs: number;
}

export interface WaiterView {
  id: string;
  owner: Owner;
  priority: Priority;
  effectivePriority: Priority;
  position: number;
  enqueuedAt: number;
  waitingMs: number;
  targets: Target[];
  requeued?: string;
}

export interface ReservationView {
  at: number;
  holders: HolderView[];
  waiters: WaiterView[];
  /** Last fencing token issued per resource. */
  tokens: Record<string, number>;
  deadlocks: { resolved: number; recent: DeadlockReport[] };
  stats: ReservationStats;
}

/** A stable, JSON-ready picture of the reservations at `now`. */
export function reservationView(manager: ReservationManager, now: number): ReservationView {
  const state = manager.snapshot();
  const inherited = inheritedPriorities(manager, now);
  const step = state.config.agingStepMs;
  const holders: HolderView[] = Object.values(state.reservations)
    .filter((r) => r.status === 'held')
    .sort((a, b) => (a.id < b.id ? -1 : 1))
    .map((r) => {
      const h: HolderView = {
        id: r.id,
        owner: r.owner,
        priority: r.priority,
        targets: r.targets,
        grants: r.grants ?? [],
        grantedAt: r.grantedAt!,
        expiresAt: r.expiresAt!,
        remainingMs: Math.max(0, r.expiresAt! - now),
      };
      const inh = inherited.get(ownerKey(r.owner));
      if (inh !== undefined && rank(inh) < rank(r.priority)) h.inheritedPriority = inh;
      return h;
    });
  const waiters: WaiterView[] = manager.lockTable.queue.map((q, position) => {
    const r = state.reservations[q.rid]!;
    const w: WaiterView = {
      id: r.id,
      owner: r.owner,
      priority: r.priority,
      effectivePriority: agedPriority(r.priority, now - r.enqueuedAt, step),
      position,
      enqueuedAt: r.enqueuedAt,
      waitingMs: now - r.enqueuedAt,
      targets: r.targets,
    };
    if (r.requeued) w.requeued = r.requeued;
    return w;
  });
  return {
    at: now,
    holders,
    waiters,
    tokens: state.fences,
    deadlocks: { resolved: state.stats.deadlocksResolved, recent: state.deadlocks },
    stats: state.stats,
  };
}
