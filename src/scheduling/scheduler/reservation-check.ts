/** Bridges the scheduler to the reservation manager: a pass's resources, probed without side effects. */
import type { ReservationManager, ReservationRequest } from '../reservations/index.ts';
import type { ReadyPass, ResourceCheck } from './types.ts';

const DEFAULT_LEASE_MS = 15 * 60_000;

/** The reservation request a pass will make when it starts. */
export function reservationRequestFor(pass: ReadyPass): ReservationRequest {
  return {
    owner: { agent: pass.agent ?? pass.pass, workItem: pass.workItem, attempt: pass.attempt },
    priority: pass.priority,
    targets: pass.resources ?? [],
    leaseMs: pass.leaseMs ?? DEFAULT_LEASE_MS,
  };
}

/** A ResourceCheck that asks `manager.probe`, counting passes planned earlier in the round. */
export function reservationCheck(manager: ReservationManager): ResourceCheck {
  const parent = new Map<string, string | undefined>(
    manager.config.resources.map((r) => [r.id, 'parent' in r ? r.parent : undefined]),
  );
  const lineages = new Map<string, string[]>();
  const lineage = (id: string): string[] => {
    let out = lineages.get(id);
    if (!out) {
      out = [id];
      for (let p = parent.get(id); p !== undefined; p = parent.get(p)) out.push(p);
      lineages.set(id, out);
    }
    return out;
  };
  // Claims can only conflict on a shared node: the same resource, or one an ancestor of the other.
  const related = (a: string, b: string) => lineage(a).includes(b) || lineage(b).includes(a);
  return (pass, planned, now) => {
    const mine = (pass.resources ?? []).map((t) => t.resource);
    const relevant = planned.filter((x) =>
      x.resources?.some((t) => mine.some((m) => related(m, t.resource))),
    );
    const p = manager.probe(reservationRequestFor(pass), now, relevant.map(reservationRequestFor));
    if (p.grantable) return { ok: true };
    if ('refused' in p) return { ok: false, detail: `refused (${p.refused}): ${p.message}` };
    const holders = [...new Set(p.blockedBy.flatMap((b) => b.resources))].sort();
    return {
      ok: false,
      detail: holders.length
        ? `busy: ${holders.join(', ')}`
        : 'busy: planned by another pass this round',
      estimatedWaitMs: p.estimatedWaitMs,
    };
  };
}
