/**
 * Validates the declared resources once, at the edge, and resolves them into a
 * catalog (ancestors linked, pool units named) that the manager then trusts.
 */
import { ReservationConfigError } from './errors.ts';
import {
  LOCKABLE_KINDS,
  type LockableKind,
  type NormalisedConfig,
  RESOURCE_KINDS,
  type ReservationConfig,
  type ResourceDecl,
} from './types.ts';

export interface LockableInfo {
  id: string;
  kind: LockableKind;
  /** Ancestors, root first. */
  ancestors: string[];
}
export interface PoolInfo {
  id: string;
  kind: 'pool';
  units: string[];
}
export interface RateInfo {
  id: string;
  kind: 'rate';
  requests: number;
  periodMs: number;
  burst: number;
}
export type ResourceInfo = LockableInfo | PoolInfo | RateInfo;
export type Catalog = ReadonlyMap<string, ResourceInfo>;

// Which kinds may sit under which: a table under a schema or directly under a database.
const PARENTS: Readonly<Record<LockableKind, readonly LockableKind[]>> = {
  database: [],
  schema: ['database'],
  table: ['schema', 'database'],
  environment: [],
};

function fail(where: string, message: string, hint: string): never {
  throw new ReservationConfigError(`resources: ${where}: ${message}`, { hint });
}

function positiveInt(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0;
}

/** Validates a configuration and fills its defaults. */
export function normaliseConfig(config: ReservationConfig): NormalisedConfig {
  if (config === null || typeof config !== 'object' || !Array.isArray(config.resources)) {
    fail('(root)', 'expected an object with a `resources` array', 'declare resources as a list');
  }
  const agingStepMs = config.agingStepMs ?? 60_000;
  if (!positiveInt(agingStepMs)) {
    fail('agingStepMs', `must be a positive integer, got ${String(agingStepMs)}`, 'e.g. 60000');
  }
  const access =
    config.access === undefined
      ? null
      : Object.fromEntries(Object.entries(config.access).map(([k, v]) => [k, [...v]]));
  const resources = config.resources.map((r) => ({ ...r }) as ResourceDecl);
  const normalised: NormalisedConfig = {
    resources,
    agingStepMs,
    preemption: config.preemption ?? true,
    access,
  };
  const catalog = buildCatalog(normalised);
  if (access !== null) {
    for (const [agent, ids] of Object.entries(access)) {
      for (const id of ids) {
        if (!catalog.has(id)) {
          fail(`access.${agent}`, `unknown resource "${id}"`, 'name a declared resource id');
        }
      }
    }
  }
  return normalised;
}

/** Resolves validated declarations into the catalog; throws on any inconsistency. */
export function buildCatalog(config: NormalisedConfig): Catalog {
  const decls = new Map<string, ResourceDecl>();
  config.resources.forEach((r, i) => {
    const where = `resources[${i}]`;
    if (typeof r.id !== 'string' || r.id.length === 0) {
      fail(where, 'missing `id`', 'give every resource a unique id');
    }
    if (!(RESOURCE_KINDS as readonly string[]).includes(r.kind)) {
      fail(
        `${where} (${r.id})`,
        `unknown kind "${String(r.kind)}"`,
        `use one of ${RESOURCE_KINDS.join(', ')}`,
      );
    }
    if (decls.has(r.id)) fail(`${where} (${r.id})`, 'duplicate id', 'resource ids must be unique');
    decls.set(r.id, r);
  });
  const catalog = new Map<string, ResourceInfo>();
  const resolving = new Set<string>();
  const resolve = (id: string): ResourceInfo => {
    const done = catalog.get(id);
    if (done) return done;
    const r = decls.get(id)!;
    if (r.kind === 'pool') {
      const units =
        typeof r.units === 'number'
          ? positiveInt(r.units)
            ? Array.from({ length: r.units }, (_, i) => `${r.id}#${i + 1}`)
            : fail(r.id, '`units` must be a positive integer', 'e.g. units: 4')
          : [...r.units];
      if (units.length === 0 || new Set(units).size !== units.length) {
        fail(r.id, 'pool units must be non-empty and unique', 'list distinct unit names');
      }
      const info: PoolInfo = { id: r.id, kind: 'pool', units };
      catalog.set(id, info);
      return info;
    }
    if (r.kind === 'rate') {
      const burst = r.burst ?? r.requests;
      if (!positiveInt(r.requests) || !positiveInt(r.periodMs) || !positiveInt(burst)) {
        fail(
          r.id,
          '`requests`, `periodMs` and `burst` must be positive integers',
          'e.g. requests: 50, periodMs: 60000',
        );
      }
      const info: RateInfo = {
        id: r.id,
        kind: 'rate',
        requests: r.requests,
        periodMs: r.periodMs,
        burst,
      };
      catalog.set(id, info);
      return info;
    }
    if (resolving.has(id)) fail(id, 'parent chain forms a cycle', 'resources form a forest');
    resolving.add(id);
    let ancestors: string[] = [];
    if (r.parent !== undefined) {
      const parent = decls.get(r.parent);
      if (!parent) fail(id, `unknown parent "${r.parent}"`, 'declare the parent resource');
      const allowed = PARENTS[r.kind];
      if (!(allowed as readonly string[]).includes(parent.kind)) {
        fail(
          id,
          `a ${r.kind} cannot sit under a ${parent.kind}`,
          allowed.length
            ? `its parent must be a ${allowed.join(' or ')}`
            : `a ${r.kind} has no parent`,
        );
      }
      const p = resolve(r.parent) as LockableInfo;
      ancestors = [...p.ancestors, p.id];
    } else if (r.kind === 'schema' || r.kind === 'table') {
      fail(id, `a ${r.kind} needs a parent`, 'set `parent` to its database or schema');
    }
    resolving.delete(id);
    const info: LockableInfo = { id, kind: r.kind, ancestors };
    catalog.set(id, info);
    return info;
  };
  for (const id of decls.keys()) resolve(id);
  return catalog;
}

/** True when `kind` takes lock modes (as opposed to pools and rate limits). */
export function isLockable(kind: string): kind is LockableKind {
  return (LOCKABLE_KINDS as readonly string[]).includes(kind);
}
