/**
 * The reservation manager's and the scheduler's configuration from keel.yaml:
 * the resource forest flattened (an `api` with a rate limit is a token bucket,
 * one without is locked like an environment; a `pool` hands out its capacity as
 * units), agents' `access.resources`, and the execution pools (one local pool
 * when keel.yaml declares none).
 */
import type { Definitions, Resource } from '../../definitions/index.ts';
import type { ReservationConfig, ResourceDecl } from '../reservations/index.ts';
import type { PoolDecl } from '../scheduler/index.ts';

/** The pool used when keel.yaml declares none. */
export const DEFAULT_POOL_ID = 'local';

function declOf(r: Resource): ResourceDecl {
  if (r.kind === 'pool') return { id: r.id, kind: 'pool', units: r.capacity ?? 1 };
  if (r.kind === 'api') {
    if (r.rateLimit)
      return {
        id: r.id,
        kind: 'rate',
        requests: r.rateLimit.requests,
        periodMs: r.rateLimit.perMs,
      };
    return { id: r.id, kind: 'environment' };
  }
  return r.parent ? { id: r.id, kind: r.kind, parent: r.parent } : { id: r.id, kind: r.kind };
}

/** Every declared resource, parents before children. */
export function flattenResources(roots: readonly Resource[]): ResourceDecl[] {
  const out: ResourceDecl[] = [];
  const walk = (r: Resource, parent: string | undefined) => {
    out.push(declOf({ ...r, parent: r.parent ?? parent }));
    for (const c of r.children) walk(c, r.kind === 'pool' || r.kind === 'api' ? undefined : r.id);
  };
  for (const r of roots) walk(r, undefined);
  return out;
}

/** The reservation manager's configuration for a project. */
export function reservationConfigFor(
  definitions: Pick<Definitions, 'config' | 'agents'>,
  options: { agingStepMs?: number; preemption?: boolean } = {},
): ReservationConfig {
  const access: Record<string, string[]> = {};
  for (const a of definitions.agents) access[a.name] = [...a.access.resources];
  return {
    resources: flattenResources(definitions.config.resources),
    access,
    ...(options.agingStepMs !== undefined && { agingStepMs: options.agingStepMs }),
    ...(options.preemption !== undefined && { preemption: options.preemption }),
  };
}

/** The execution pools: keel.yaml's, or one local pool of `defaultSlots` running everything. */
export function poolsFor(
  definitions: Pick<Definitions, 'config'>,
  defaultSlots: number,
): PoolDecl[] {
  if (definitions.config.pools.length === 0)
    return [{ id: DEFAULT_POOL_ID, slots: Math.max(1, defaultSlots) }];
  return definitions.config.pools.map((p) => ({
    id: p.id,
    slots: p.slots,
    ...(p.labels.length > 0 && { labels: p.labels }),
    ...(p.runtimes.length > 0 && { runtimes: p.runtimes }),
  }));
}
