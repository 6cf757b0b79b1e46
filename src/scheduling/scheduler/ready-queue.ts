/**
 * The ready index: passes grouped by what they need from a pool (pinned pool,
 * runtime, labels), then by team and project, then by base priority, each
 * group a FIFO by readiness. A decision looks only at group heads — a few
 * hundred — never at the 100,000 passes behind them.
 */
import type { Priority } from '../../core/index.ts';
import type { PoolDecl, ReadyPass } from './types.ts';

export type QueuedPass = ReadyPass & { seq: number };

const RANKS: Readonly<Record<Priority, number>> = { P0: 0, P1: 1, P2: 2, P3: 3 };

/** A FIFO ordered by (readyAt, seq) with lazy removal. */
export class PassQueue {
  readonly items: QueuedPass[] = [];
  head = 0;
  private readonly gone = new Set<string>();

  readonly team: string;
  readonly project: string;
  readonly rank: number;
  /** `team/project`, the fair-share key of the project. */
  readonly key: string;

  constructor(team: string, project: string, rank: number) {
    this.team = team;
    this.project = project;
    this.rank = rank;
    this.key = `${team}/${project}`;
  }

  /** True when the item at `i` has not been removed. */
  live(i: number): boolean {
    return i >= this.head && this.gone.size === 0 ? true : !this.gone.has(this.items[i]!.id);
  }

  get size(): number {
    return this.items.length - this.head - this.gone.size;
  }

  push(p: QueuedPass): void {
    const last = this.items[this.items.length - 1];
    if (!last || last.readyAt < p.readyAt || (last.readyAt === p.readyAt && last.seq < p.seq)) {
      this.items.push(p);
      return;
    }
    let lo = this.head;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const m = this.items[mid]!;
      if (m.readyAt < p.readyAt || (m.readyAt === p.readyAt && m.seq < p.seq)) lo = mid + 1;
      else hi = mid;
    }
    this.items.splice(lo, 0, p);
  }

  remove(id: string): void {
    this.gone.add(id);
    while (this.head < this.items.length && this.gone.has(this.items[this.head]!.id)) {
      this.gone.delete(this.items[this.head]!.id);
      this.head++;
    }
    // Compact once the consumed prefix dominates, keeping memory proportional to size.
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items.splice(0, this.head);
      this.head = 0;
    }
  }

  /** First live item at or after `from`, skipping ids in `skip`; returns its index or -1. */
  next(from: number, skip: ReadonlySet<string>): number {
    for (let i = Math.max(from, this.head); i < this.items.length; i++) {
      const id = this.items[i]!.id;
      if (!this.gone.has(id) && !skip.has(id)) return i;
    }
    return -1;
  }
}

function signature(p: ReadyPass): string {
  return `${p.pool ?? '*'}|${p.runtime}|${[...(p.labels ?? [])].sort().join(',')}`;
}

function fits(pool: PoolDecl, p: ReadyPass): boolean {
  if (p.pool !== undefined && p.pool !== pool.id) return false;
  if (pool.runtimes && !pool.runtimes.includes(p.runtime)) return false;
  const labels = pool.labels ?? [];
  return (p.labels ?? []).every((l) => labels.includes(l));
}

/** All ready passes, indexed for decisions. */
export class ReadyIndex {
  readonly byId = new Map<string, { pass: QueuedPass; queue: PassQueue }>();
  /** signature → queues of that signature. */
  private readonly bySignature = new Map<string, Map<string, PassQueue>>();
  /** pool id → queues whose passes that pool can run. */
  readonly forPool = new Map<string, PassQueue[]>();
  /** Ready + running count per team and per team/project (fair-share activity). */
  readonly active = new Map<string, number>();
  private readonly pools: readonly PoolDecl[];

  constructor(pools: readonly PoolDecl[]) {
    this.pools = pools;
    for (const p of pools) this.forPool.set(p.id, []);
  }

  /** True when some pool could ever run this pass. */
  runnable(p: ReadyPass): boolean {
    return this.pools.some((pool) => fits(pool, p));
  }

  add(p: QueuedPass): void {
    const sig = signature(p);
    let queues = this.bySignature.get(sig);
    if (!queues) {
      queues = new Map();
      this.bySignature.set(sig, queues);
    }
    const rank = RANKS[p.priority];
    const qk = `${p.team}\u0000${p.project}\u0000${rank}`;
    let queue = queues.get(qk);
    if (!queue) {
      queue = new PassQueue(p.team, p.project, rank);
      queues.set(qk, queue);
      for (const pool of this.pools) if (fits(pool, p)) this.forPool.get(pool.id)!.push(queue);
    }
    queue.push(p);
    this.byId.set(p.id, { pass: p, queue });
  }

  remove(id: string): QueuedPass | undefined {
    const entry = this.byId.get(id);
    if (!entry) return undefined;
    entry.queue.remove(id);
    this.byId.delete(id);
    return entry.pass;
  }

  /** Adjusts the fair-share activity count of a team and its project. */
  touch(team: string, project: string, delta: number): void {
    for (const k of [team, `${team}/${project}`]) {
      const n = (this.active.get(k) ?? 0) + delta;
      if (n <= 0) this.active.delete(k);
      else this.active.set(k, n);
    }
  }
}
