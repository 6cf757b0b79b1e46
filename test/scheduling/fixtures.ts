/** Shared fixtures for the scheduling tests: a small declared resource forest and request builders. */
import type { Priority } from '../../src/core/index.ts';
import {
  type LockMode,
  type ReservationConfig,
  ReservationManager,
  type ReservationRequest,
  type TargetInput,
} from '../../src/scheduling/index.ts';

export const RESOURCES: ReservationConfig['resources'] = [
  { id: 'app', kind: 'database' },
  { id: 'app.public', kind: 'schema', parent: 'app' },
  { id: 'app.public.users', kind: 'table', parent: 'app.public' },
  { id: 'app.public.orders', kind: 'table', parent: 'app.public' },
  { id: 'staging', kind: 'environment' },
  { id: 'testdb', kind: 'pool', units: 2 },
  { id: 'openai', kind: 'rate', requests: 2, periodMs: 1000 },
];

/** A manager over the fixture resources. */
export function manager(options: Omit<ReservationConfig, 'resources'> = {}): ReservationManager {
  return ReservationManager.create({ resources: RESOURCES, agingStepMs: 1000, ...options });
}

/** A request by `agent` (work item `W-<agent>`, attempt 1). */
export function req(
  agent: string,
  targets: TargetInput | TargetInput[],
  priority: Priority = 'P2',
  extra: Partial<ReservationRequest> = {},
): ReservationRequest {
  return {
    owner: { agent, workItem: `W-${agent}`, attempt: 1 },
    priority,
    targets: Array.isArray(targets) ? targets : [targets],
    leaseMs: 10_000,
    ...extra,
  };
}

/** A lock target. */
export function lock(
  resource: string,
  mode: LockMode = 'X',
  range?: [number, number],
): TargetInput {
  return range ? { resource, mode, range } : { resource, mode };
}
