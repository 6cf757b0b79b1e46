/**
 * The derived indexes over a state's reservations (locks per node, pool units,
 * waiters in queue order) and the conflict evaluation built on them. Never
 * serialised: rebuilt from the reservations on restore.
 */
import type { Priority } from '../../core/index.ts';
import { levelAt, msUntil } from './bucket.ts';
import type { Catalog, PoolInfo, RateInfo } from './catalog.ts';
import { compatible, intentionFor, type LockMode } from './modes.ts';
import type { Owner, Reservation, ReservationState, Target } from './types.ts';

/** One lock a reservation takes (or wants) on one node. */
export interface LockEntry {
  node: string;
  mode: LockMode;
  range?: [number, number];
  rid: string;
  owner: string;
  key: number;
  seq: number;
}

interface Demand {
  rid: string;
  owner: string;
  amount: number;
  key: number;
  seq: number;
}

/** What stands between a request and a grant. */
export interface Evaluation {
  grantable: boolean;
  /** Holds whose locks conflict (all must go). */
  holdBlockers: Set<string>;
  /** Earlier waiters the request may not overtake. */
  queueBlockers: Set<string>;
  /** Pools short of units: any one of `holders` releasing helps. */
  poolShort: { pool: string; missing: number; holders: string[] }[];
  /** Time until rate-limited tokens are available (0 when they are). */
  rateWaitMs: number;
}

/** Something the evaluation treats as already held (a plan not yet granted). */
export interface PlannedClaim {
  owner: string;
  targets: readonly Target[];
}

const PRIORITY_RANK: Readonly<Record<Priority, number>> = { P0: 0, P1: 1, P2: 2, P3: 3 };

/** 0 for P0 … 3 for P3. */
export function rank(priority: Priority): number {
  return PRIORITY_RANK[priority];
}

/** The stable identity of an owner in graphs and reports: `agent/workItem#attempt`. */
export function ownerKey(owner: Owner): string {
  return `${owner.agent}/${owner.workItem}#${owner.attempt}`;
}

/**
 * The aging key: lower is served first. A waiter's effective priority improves by
 * one level per `step` of waiting, so comparing `rank·step + enqueuedAt` orders
 * waiters exactly as their effective priorities do at any later time — the order
 * never needs re-sorting as time passes.
 */
export function agingKey(priority: Priority, enqueuedAt: number, step: number): number {
  return rank(priority) * step + enqueuedAt;
}

/** Effective priority after aging, for display. */
export function agedPriority(priority: Priority, waitedMs: number, step: number): Priority {
  const r = Math.max(0, rank(priority) - Math.floor(Math.max(0, waitedMs) / step));
  return `P${r}` as Priority;
}

function earlier(aKey: number, aSeq: number, bKey: number, bSeq: number): boolean {
  return aKey < bKey || (aKey === bKey && aSeq < bSeq);
}

function conflicts(a: { mode: LockMode; range?: [number, number] }, b: LockEntry): boolean {
  // A row-range lock and a whole-node lock never meet on the same entry: the
  // range's intention lock on the table is what conflicts with a table lock.
  if ((a.range === undefined) !== (b.range === undefined)) return false;
  if (a.range && b.range && !(a.range[0] < b.range[1] && b.range[0] < a.range[1])) return false;
  return !compatible(a.mode, b.mode);
}

/** The locks a set of targets takes, intention locks on ancestors included. */
export function expandTargets(
  targets: readonly Target[],
  catalog: Catalog,
  rid: string,
  owner: string,
  key: number,
  seq: number,
): LockEntry[] {
  const out: LockEntry[] = [];
  for (const t of targets) {
    if (t.kind !== 'lock') continue;
    const info = catalog.get(t.resource);
    const ancestors = info && 'ancestors' in info ? info.ancestors : [];
    const intention = intentionFor(t.mode);
    for (const a of ancestors) out.push({ node: a, mode: intention, rid, owner, key, seq });
    if (t.range) {
      out.push({ node: t.resource, mode: intention, rid, owner, key, seq });
      out.push({ node: t.resource, mode: t.mode, range: t.range, rid, owner, key, seq });
    } else {
      out.push({ node: t.resource, mode: t.mode, rid, owner, key, seq });
    }
  }
  return out;
}

const MODE_INDEX: Readonly<Record<LockMode, number>> = { IS: 0, IX: 1, S: 2, SIX: 3, X: 4 };
const MODES: readonly LockMode[] = ['IS', 'IX', 'S', 'SIX', 'X'];
const RANGED = 5;

/** Counts of the entries on one node: unranged by mode, plus ranged ones. */
type ModeCounts = number[];

function count(index: Map<string, ModeCounts>, e: LockEntry, delta: number): void {
  let c = index.get(e.node);
  if (!c) {
    c = [0, 0, 0, 0, 0, 0];
    index.set(e.node, c);
  }
  c[e.range ? RANGED : MODE_INDEX[e.mode]]! += delta;
}

// Lets a check skip a node's list when no entry there could conflict: most
// entries on a database or schema are intention locks, compatible with each other.
function mayConflict(
  c: ModeCounts | undefined,
  e: { mode: LockMode; range?: [number, number] },
): boolean {
  if (!c) return false;
  if (e.range) return c[RANGED]! > 0;
  for (let i = 0; i < 5; i++) if (c[i]! > 0 && !compatible(e.mode, MODES[i]!)) return true;
  return false;
}

function insertSorted<T extends { key: number; seq: number }>(list: T[], item: T): void {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const m = list[mid]!;
    if (earlier(m.key, m.seq, item.key, item.seq) || (m.key === item.key && m.seq === item.seq))
      lo = mid + 1;
    else hi = mid;
  }
  list.splice(lo, 0, item);
}

function removeSorted<T extends { key: number; seq: number; rid: string }>(
  list: T[],
  key: number,
  seq: number,
  rid: string,
): void {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const m = list[mid]!;
    if (earlier(m.key, m.seq, key, seq)) lo = mid + 1;
    else hi = mid;
  }
  let end = lo;
  while (end < list.length && list[end]!.rid === rid) end++;
  if (end > lo) list.splice(lo, end - lo);
}

/** Indexes over one state, kept in step with it by the reducer. */
export class LockTable {
  /** node → holding reservation → its entries on that node. */
  readonly holdsByNode = new Map<string, Map<string, LockEntry[]>>();
  readonly waitsByNode = new Map<string, LockEntry[]>();
  private readonly holdModes = new Map<string, ModeCounts>();
  private readonly waitModes = new Map<string, ModeCounts>();
  /** Pool → unit → holding reservation. */
  readonly poolUnits = new Map<string, Map<string, string>>();
  readonly poolWaits = new Map<string, Demand[]>();
  readonly rateWaits = new Map<string, Demand[]>();
  /** Waiting reservations in service order. */
  readonly queue: { rid: string; key: number; seq: number }[] = [];
  readonly byOwner = new Map<string, Set<string>>();

  readonly state: ReservationState;
  readonly catalog: Catalog;

  constructor(state: ReservationState, catalog: Catalog) {
    this.state = state;
    this.catalog = catalog;
    for (const r of Object.values(state.reservations)) {
      if (r.status === 'held') this.addHeld(r);
      else this.addWaiting(r);
    }
  }

  /** The aging key of a reservation under this state's configuration. */
  keyOf(r: Pick<Reservation, 'priority' | 'enqueuedAt' | 'keyFloor'>): number {
    const key = agingKey(r.priority, r.enqueuedAt, this.state.config.agingStepMs);
    return r.keyFloor === undefined ? key : Math.max(key, r.keyFloor);
  }

  private own(r: Reservation, add: boolean): void {
    const k = ownerKey(r.owner);
    let set = this.byOwner.get(k);
    if (add) {
      if (!set) {
        set = new Set();
        this.byOwner.set(k, set);
      }
      set.add(r.id);
    } else if (set) {
      set.delete(r.id);
      if (set.size === 0) this.byOwner.delete(k);
    }
  }

  addHeld(r: Reservation): void {
    for (const e of expandTargets(r.targets, this.catalog, r.id, ownerKey(r.owner), 0, 0)) {
      let byRid = this.holdsByNode.get(e.node);
      if (!byRid) {
        byRid = new Map();
        this.holdsByNode.set(e.node, byRid);
      }
      const list = byRid.get(r.id);
      if (list) list.push(e);
      else byRid.set(r.id, [e]);
      count(this.holdModes, e, 1);
    }
    for (const g of r.grants ?? []) {
      if (!g.units) continue;
      let units = this.poolUnits.get(g.resource);
      if (!units) {
        units = new Map();
        this.poolUnits.set(g.resource, units);
      }
      for (const u of g.units) units.set(u, r.id);
    }
    this.own(r, true);
  }

  removeHeld(r: Reservation): void {
    for (const t of r.targets) {
      if (t.kind !== 'lock') continue;
      const info = this.catalog.get(t.resource);
      const nodes = info && 'ancestors' in info ? [...info.ancestors, t.resource] : [t.resource];
      for (const n of nodes) {
        const byRid = this.holdsByNode.get(n);
        const list = byRid?.get(r.id);
        if (!byRid || !list) continue;
        for (const e of list) count(this.holdModes, e, -1);
        byRid.delete(r.id);
        if (byRid.size === 0) this.holdsByNode.delete(n);
      }
    }
    for (const g of r.grants ?? []) {
      const units = g.units && this.poolUnits.get(g.resource);
      if (!units) continue;
      for (const u of g.units!) if (units.get(u) === r.id) units.delete(u);
    }
    this.own(r, false);
  }

  addWaiting(r: Reservation): void {
    const key = this.keyOf(r);
    const owner = ownerKey(r.owner);
    for (const e of expandTargets(r.targets, this.catalog, r.id, owner, key, r.seq)) {
      let list = this.waitsByNode.get(e.node);
      if (!list) {
        list = [];
        this.waitsByNode.set(e.node, list);
      }
      insertSorted(list, e);
      count(this.waitModes, e, 1);
    }
    for (const t of r.targets) {
      if (t.kind === 'lock') continue;
      const index = t.kind === 'pool' ? this.poolWaits : this.rateWaits;
      let list = index.get(t.resource);
      if (!list) {
        list = [];
        index.set(t.resource, list);
      }
      insertSorted(list, { rid: r.id, owner, amount: t.amount, key, seq: r.seq });
    }
    insertSorted(this.queue, { rid: r.id, key, seq: r.seq });
    this.own(r, true);
  }

  removeWaiting(r: Reservation): void {
    const key = this.keyOf(r);
    const nodes = new Set<string>();
    for (const t of r.targets) {
      if (t.kind === 'lock') {
        const info = this.catalog.get(t.resource);
        for (const n of info && 'ancestors' in info ? info.ancestors : []) nodes.add(n);
        nodes.add(t.resource);
      } else {
        const list = (t.kind === 'pool' ? this.poolWaits : this.rateWaits).get(t.resource);
        if (list) removeSorted(list, key, r.seq, r.id);
      }
    }
    for (const e of expandTargets(r.targets, this.catalog, r.id, '', key, r.seq))
      count(this.waitModes, e, -1);
    for (const n of nodes) {
      const list = this.waitsByNode.get(n);
      if (!list) continue;
      removeSorted(list, key, r.seq, r.id);
      if (list.length === 0) this.waitsByNode.delete(n);
    }
    removeSorted(this.queue, key, r.seq, r.id);
    this.own(r, false);
  }

  /**
   * Waiting reservations whose wait `r`'s departure (release, expiry, cancel,
   * revocation) may end: those with a lock entry conflicting with one of `r`'s,
   * and every waiter on a pool or rate limit `r` used. Waking only these keeps a
   * release on one table from re-examining every waiter of the database.
   */
  waitersAffectedBy(r: Pick<Reservation, 'id' | 'targets'>): Set<string> {
    const out = new Set<string>();
    const blocked = new Set<string>();
    for (const e of expandTargets(r.targets, this.catalog, r.id, '', 0, 0)) {
      if (!mayConflict(this.waitModes.get(e.node), e)) continue;
      // A waiter that conflicts with an earlier waiter of another owner stays
      // blocked whatever `r` freed (that waiter keeps waiting or is granted
      // first), so it is not woken; once exclusive waiters of two owners are
      // queued, everything behind them is blocked and the walk stops. A
      // hand-over on a hot resource is then O(1) in its queue length.
      const earlier: LockEntry[] = [];
      const exclusive = new Set<string>();
      for (const w of this.waitsByNode.get(e.node) ?? []) {
        if (w.rid === r.id) continue;
        if (exclusive.size >= 2) break;
        const behindX = w.range === undefined && exclusive.size === 1 && !exclusive.has(w.owner);
        if (behindX || earlier.some((x) => x.owner !== w.owner && conflicts(w, x)))
          blocked.add(w.rid);
        else if (conflicts(e, w)) out.add(w.rid);
        if (w.mode === 'X' && w.range === undefined) exclusive.add(w.owner);
        else earlier.push(w);
      }
    }
    for (const id of blocked) out.delete(id);
    for (const t of r.targets) {
      if (t.kind === 'lock') continue;
      for (const d of (t.kind === 'pool' ? this.poolWaits : this.rateWaits).get(t.resource) ?? [])
        out.add(d.rid);
    }
    return out;
  }

  /**
   * Evaluates a (waiting or new) reservation at `now`: its lock conflicts with
   * holders, the earlier waiters it may not overtake, pool shortfalls and rate
   * waits. `quick` stops at the first obstacle (enough to decide a grant).
   */
  evaluate(
    r: { id: string; owner: Owner; targets: readonly Target[]; key: number; seq: number },
    now: number,
    quick: boolean,
    planned: readonly PlannedClaim[] = [],
    /** Stop listing earlier waiters after this many (a report needs a few; the wait-for graph needs all). */
    maxQueueBlockers = Number.POSITIVE_INFINITY,
  ): Evaluation {
    const owner = ownerKey(r.owner);
    const ev: Evaluation = {
      grantable: true,
      holdBlockers: new Set(),
      queueBlockers: new Set(),
      poolShort: [],
      rateWaitMs: 0,
    };
    const entries = expandTargets(r.targets, this.catalog, r.id, owner, r.key, r.seq);
    const plannedEntries = planned.flatMap((p) =>
      p.owner === owner ? [] : expandTargets(p.targets, this.catalog, '(planned)', p.owner, 0, 0),
    );
    for (const e of entries) {
      if (mayConflict(this.holdModes.get(e.node), e)) {
        for (const list of this.holdsByNode.get(e.node)?.values() ?? []) {
          for (const h of list) {
            if (h.owner !== owner && conflicts(e, h)) {
              ev.grantable = false;
              ev.holdBlockers.add(h.rid);
              if (quick) return ev;
            }
          }
        }
      }
      for (const p of plannedEntries) {
        if (p.node === e.node && conflicts(e, p)) {
          ev.grantable = false;
          if (quick) return ev;
        }
      }
    }
    for (const e of entries) {
      if (!mayConflict(this.waitModes.get(e.node), e)) continue;
      for (const w of this.waitsByNode.get(e.node) ?? []) {
        if (!earlier(w.key, w.seq, r.key, r.seq) || ev.queueBlockers.size >= maxQueueBlockers)
          break;
        if (w.rid !== r.id && w.owner !== owner && conflicts(e, w)) {
          ev.grantable = false;
          ev.queueBlockers.add(w.rid);
          if (quick) return ev;
        }
      }
    }
    for (const t of r.targets) {
      if (t.kind === 'lock') continue;
      const plannedAmount = planned
        .flatMap((p) => p.targets)
        .reduce(
          (sum, p) => sum + (p.resource === t.resource && p.kind !== 'lock' ? p.amount : 0),
          0,
        );
      let ahead = 0;
      // Earlier waiters on the pool or bucket block only if their demand leaves too little.
      const aheadIds: string[] = [];
      const waits = (t.kind === 'pool' ? this.poolWaits : this.rateWaits).get(t.resource) ?? [];
      for (const d of waits) {
        if (!earlier(d.key, d.seq, r.key, r.seq)) break;
        if (d.rid === r.id) continue;
        ahead += d.amount;
        aheadIds.push(d.rid);
      }
      const info = this.catalog.get(t.resource);
      if (t.kind === 'pool') {
        const pool = info as PoolInfo;
        const used = this.poolUnits.get(t.resource);
        const free = pool.units.length - (used?.size ?? 0) - plannedAmount;
        if (free - ahead >= t.amount) continue;
        ev.grantable = false;
        for (const id of aheadIds) ev.queueBlockers.add(id);
        if (free < t.amount) {
          const holders = [...new Set(used?.values() ?? [])].filter(
            (rid) => ownerKey(this.state.reservations[rid]!.owner) !== owner,
          );
          ev.poolShort.push({ pool: t.resource, missing: t.amount - free, holders });
        }
        if (quick) return ev;
      } else {
        const rate = info as RateInfo;
        const bucket = this.state.buckets[t.resource];
        const need = t.amount + ahead + plannedAmount;
        if (levelAt(rate, bucket, now) >= need * rate.periodMs) continue;
        ev.grantable = false;
        for (const id of aheadIds) ev.queueBlockers.add(id);
        ev.rateWaitMs = Math.max(ev.rateWaitMs, msUntil(rate, bucket, need, now));
        if (quick) return ev;
      }
    }
    return ev;
  }

  /** Free units of a pool, lowest-named first (a deterministic choice). */
  freeUnits(pool: string): string[] {
    const info = this.catalog.get(pool) as PoolInfo;
    const used = this.poolUnits.get(pool);
    return info.units.filter((u) => !used?.has(u));
  }
}
