/**
 * One scheduling round: for each free slot, the best ready pass that fits the
 * pool, passes its budget check and can take its reservations now. When the
 * best pass cannot proceed its wait is recorded and the round re-plans with
 * the next-best pass instead of leaving the slot idle.
 *
 * Order: effective priority (base priority aged by waiting time) first; among
 * equals, the team with the least weighted service (start-time fair queueing
 * on virtual time), then the project within it, then readiness.
 */
import type { Priority } from '../../core/index.ts';
import type { PassQueue, QueuedPass } from './ready-queue.ts';
import type { Scheduler } from './scheduler.ts';
import type {
  BudgetCheck,
  Decision,
  Dispatch,
  EndedWait,
  ReadyPass,
  ResourceCheck,
  WaitReason,
  WaitRecord,
} from './types.ts';

interface Candidate {
  queue: PassQueue;
  index: number;
  pass: QueuedPass;
  eff: number;
  team: number;
  project: number;
}

function better(a: Candidate, b: Candidate): boolean {
  if (a.eff !== b.eff) return a.eff < b.eff;
  if (a.team !== b.team) return a.team < b.team;
  if (a.project !== b.project) return a.project < b.project;
  if (a.pass.readyAt !== b.pass.readyAt) return a.pass.readyAt < b.pass.readyAt;
  return a.pass.seq < b.pass.seq;
}

/** Decides dispatches for every free slot at `now`; reads the scheduler, changes nothing. */
export function decide(
  s: Scheduler,
  now: number,
  checks: { budget?: BudgetCheck; resources?: ResourceCheck },
): Decision {
  const step = s.config.agingStepMs ?? 600_000;
  const teamTime = new Map(s.teamTime);
  const projectTime = new Map(s.projectTime);
  const taken = new Set<string>();
  const cursor = new Map<PassQueue, number>();
  const planned: ReadyPass[] = [];
  const busy = new Map<string, { detail: string; estimatedWaitMs?: number }>();
  const heldTargets = new Map<string, { detail: string; heldBy: string[] }>();
  const dispatch: Dispatch[] = [];
  const waits: WaitRecord[] = [];
  const ended: EndedWait[] = [];
  const idle: Record<string, number> = {};

  const endWait = (id: string) => {
    const prev = s.waits.get(id);
    if (prev) ended.push({ ...prev, until: now, durationMs: Math.max(0, now - prev.since) });
  };
  const block = (p: QueuedPass, reason: WaitReason, detail: string) => {
    taken.add(p.id);
    const prev = s.waits.get(p.id);
    if (prev && prev.reason === reason && prev.detail === detail) return;
    endWait(p.id);
    waits.push({ pass: p.id, reason, detail, since: now });
  };
  const best = (queues: readonly PassQueue[]): Candidate | null => {
    let top: Candidate | null = null;
    for (const q of queues) {
      const at = cursor.get(q) ?? q.head;
      // The common case: the head is still live and untaken; no search needed.
      const head = q.items[at];
      const i = head && !taken.has(head.id) && q.live(at) ? at : q.next(at, taken);
      if (i !== at) cursor.set(q, i < 0 ? q.items.length : i);
      if (i < 0) continue;
      const pass = q.items[i]!;
      if (pass.readyAt > now) continue; // FIFO by readiness: nothing behind it is ready either
      const eff = Math.max(0, q.rank - Math.floor((now - pass.readyAt) / step));
      // Cheap reject before building a candidate: a worse effective priority never wins.
      if (top !== null && eff > top.eff) continue;
      const c: Candidate = {
        queue: q,
        index: i,
        pass,
        eff,
        team: teamTime.get(q.team) ?? 0,
        project: projectTime.get(q.key) ?? 0,
      };
      if (top === null || better(c, top)) top = c;
    }
    return top;
  };
  const proceed = (p: QueuedPass): boolean => {
    const budget = checks.budget?.(p, now);
    if (budget && !budget.ok) {
      block(p, budget.reason, budget.detail);
      return false;
    }
    if (p.resources?.length && checks.resources) {
      // Claims only accumulate within a round, so a busy answer stays busy for it.
      const owner = `${p.agent ?? p.pass}/${p.workItem}#${p.attempt}`;
      const targets = JSON.stringify(p.resources);
      const key = `${owner}|${targets}`;
      const held = heldTargets.get(targets);
      if (held?.heldBy.some((o) => o !== owner)) {
        block(p, 'resource', held.detail);
        return false;
      }
      const cached = busy.get(key);
      const r = cached ? { ok: false as const, ...cached } : checks.resources(p, planned, now);
      if (!r.ok) {
        busy.set(key, r);
        if (r.heldBy?.length) heldTargets.set(targets, { detail: r.detail, heldBy: r.heldBy });
        block(p, 'resource', r.detail);
        return false;
      }
    }
    return true;
  };

  for (const pool of s.config.pools) {
    const queues = s.index.forPool.get(pool.id) ?? [];
    const occupied = s.occupied.get(pool.id)!;
    let free = pool.slots - occupied.size;
    for (let slot = 0; slot < pool.slots && free > 0; slot++) {
      if (occupied.has(slot)) continue;
      let chosen: Candidate | null = null;
      for (let c = best(queues); c !== null; c = best(queues)) {
        if (proceed(c.pass)) {
          chosen = c;
          break;
        }
      }
      if (chosen === null) break;
      const p = chosen.pass;
      taken.add(p.id);
      planned.push(p);
      endWait(p.id);
      dispatch.push({
        pass: p.id,
        pool: pool.id,
        slot,
        effectivePriority: `P${chosen.eff}` as Priority,
        waitedMs: Math.max(0, now - p.readyAt),
      });
      teamTime.set(chosen.queue.team, chosen.team + 1 / s.teamWeight(chosen.queue.team));
      const pk = `${chosen.queue.team}/${chosen.queue.project}`;
      projectTime.set(pk, chosen.project + 1 / s.projectWeight(chosen.queue.project));
      free--;
    }
    if (free > 0) idle[pool.id] = free;
  }
  return { at: now, dispatch, waits, ended, idle };
}
