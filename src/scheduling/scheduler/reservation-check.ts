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
  return (pass, planned, now) => {
    const p = manager.probe(
      reservationRequestFor(pass),
      now,
      planned.filter((x) => x.resources?.length).map(reservationRequestFor),
    );
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
