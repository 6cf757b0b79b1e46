/**
 * Turns a request into canonical targets, or says why it must be refused. The
 * canonical order (by resource id, then range) is the order in which an
 * all-or-nothing request takes its resources and is issued its fencing tokens.
 */
import { PRIORITIES } from '../../core/index.ts';
import type { Catalog } from './catalog.ts';
import { isLockMode } from './modes.ts';
import type { NormalisedConfig, RefusalReason, ReservationRequest, Target } from './types.ts';

export type Validation =
  | { ok: true; targets: Target[] }
  | { ok: false; reason: RefusalReason; message: string };

const refuse = (reason: RefusalReason, message: string): Validation => ({
  ok: false,
  reason,
  message,
});

function validOwner(r: ReservationRequest): boolean {
  const o = r.owner as Partial<ReservationRequest['owner']> | undefined;
  return (
    typeof o === 'object' &&
    o !== null &&
    typeof o.agent === 'string' &&
    o.agent.length > 0 &&
    typeof o.workItem === 'string' &&
    o.workItem.length > 0 &&
    Number.isInteger(o.attempt)
  );
}

/** Sort key that fixes the canonical acquisition order. */
export function compareTargets(a: Target, b: Target): number {
  if (a.resource !== b.resource) return a.resource < b.resource ? -1 : 1;
  const ra = a.kind === 'lock' && a.range ? a.range[0] : Number.NEGATIVE_INFINITY;
  const rb = b.kind === 'lock' && b.range ? b.range[0] : Number.NEGATIVE_INFINITY;
  return ra - rb;
}

/** True when `agent` may reserve `resource` under the access map (ancestors cover descendants). */
export function allowed(
  config: NormalisedConfig,
  catalog: Catalog,
  agent: string,
  resource: string,
): boolean {
  if (config.access === null) return true;
  const grants = config.access[agent];
  if (!grants) return false;
  const info = catalog.get(resource);
  const lineage = info && 'ancestors' in info ? [...info.ancestors, resource] : [resource];
  return lineage.some((id) => grants.includes(id));
}

/** Validates a request against the catalog; never throws. */
export function validateRequest(
  request: ReservationRequest,
  config: NormalisedConfig,
  catalog: Catalog,
): Validation {
  if (!validOwner(request)) {
    return refuse(
      'invalid',
      'owner must be { agent, workItem, attempt } with non-empty strings and an integer attempt',
    );
  }
  if (!(PRIORITIES as readonly string[]).includes(request.priority)) {
    return refuse(
      'invalid',
      `priority must be one of ${PRIORITIES.join(', ')}, got ${String(request.priority)}`,
    );
  }
  if (!Number.isInteger(request.leaseMs) || request.leaseMs <= 0) {
    return refuse('invalid', `leaseMs must be a positive integer, got ${String(request.leaseMs)}`);
  }
  if (request.checkpointAt !== undefined && !Number.isFinite(request.checkpointAt)) {
    return refuse('invalid', 'checkpointAt must be a finite time');
  }
  if (!Array.isArray(request.targets) || request.targets.length === 0) {
    return refuse('invalid', 'a request needs at least one target');
  }
  const targets: Target[] = [];
  for (const [i, t] of request.targets.entries()) {
    const where = `targets[${i}] (${String(t?.resource)})`;
    const info = catalog.get(t?.resource);
    if (!info)
      return refuse(
        'unknown-resource',
        `${where}: no resource "${String(t?.resource)}" is declared`,
      );
    if (!allowed(config, catalog, request.owner.agent, t.resource)) {
      return refuse(
        'not-allowed',
        `${where}: agent "${request.owner.agent}" may not reserve "${t.resource}"`,
      );
    }
    if (info.kind === 'pool' || info.kind === 'rate') {
      const amount = info.kind === 'pool' ? (t.units ?? 1) : (t.tokens ?? 1);
      if (!Number.isInteger(amount) || amount <= 0) {
        return refuse(
          'invalid',
          `${where}: ${info.kind === 'pool' ? 'units' : 'tokens'} must be a positive integer`,
        );
      }
      const capacity = info.kind === 'pool' ? info.units.length : info.burst;
      if (amount > capacity) {
        return refuse(
          'exceeds-capacity',
          `${where}: asks for ${amount} but "${t.resource}" holds at most ${capacity}`,
        );
      }
      if (t.range !== undefined)
        return refuse('invalid', `${where}: a row range applies only to a table`);
      targets.push({ resource: t.resource, kind: info.kind, amount });
      continue;
    }
    const mode = t.mode ?? 'X';
    if (!isLockMode(mode)) return refuse('invalid', `${where}: unknown mode "${String(mode)}"`);
    if (t.range === undefined) {
      targets.push({ resource: t.resource, kind: 'lock', mode });
      continue;
    }
    if (info.kind !== 'table')
      return refuse('invalid', `${where}: a row range applies only to a table`);
    const [from, to] = t.range;
    if (!Number.isFinite(from) || !Number.isFinite(to) || from >= to) {
      return refuse('invalid', `${where}: row range must be [from, to) with from < to`);
    }
    if (mode !== 'S' && mode !== 'X')
      return refuse('invalid', `${where}: a row range takes mode S or X`);
    targets.push({ resource: t.resource, kind: 'lock', mode, range: [from, to] });
  }
  targets.sort(compareTargets);
  const clash = selfConflict(targets, catalog);
  if (clash) return refuse('self-conflict', clash);
  return { ok: true, targets };
}

// A request may not name one thing twice (ambiguous mode), overlap its own ranges,
// or lock both a node and one of its ancestors explicitly (the ancestor lock covers it).
function selfConflict(targets: Target[], catalog: Catalog): string | null {
  for (let i = 0; i < targets.length; i++) {
    const a = targets[i]!;
    for (let j = i + 1; j < targets.length; j++) {
      const b = targets[j]!;
      if (a.resource === b.resource) {
        if (a.kind === 'lock' && b.kind === 'lock' && a.range && b.range) {
          if (a.range[0] < b.range[1] && b.range[0] < a.range[1]) {
            return `rows [${a.range[0]}, ${a.range[1]}) and [${b.range[0]}, ${b.range[1]}) of "${a.resource}" overlap`;
          }
          continue;
        }
        return `"${a.resource}" is named twice`;
      }
    }
    const info = catalog.get(a.resource);
    if (info && 'ancestors' in info) {
      const ancestor = targets.find((t) => info.ancestors.includes(t.resource));
      if (ancestor)
        return `"${a.resource}" is already covered by its ancestor "${ancestor.resource}" in the same request`;
    }
  }
  return null;
}
