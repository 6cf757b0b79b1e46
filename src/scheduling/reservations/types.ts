/**
 * The plain, serialisable shapes of the reservation manager: declared resources,
 * requests, the state snapshot and the events a ledger persists and replays.
 */
import type { Priority } from '../../core/index.ts';
import type { LockMode } from './modes.ts';

export const LOCKABLE_KINDS = ['database', 'schema', 'table', 'environment'] as const;
export type LockableKind = (typeof LOCKABLE_KINDS)[number];
export const RESOURCE_KINDS = [...LOCKABLE_KINDS, 'pool', 'rate'] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

/** A lockable node of the declared forest (database → schema → table) or an environment. */
export interface LockableResourceDecl {
  id: string;
  kind: LockableKind;
  parent?: string;
}
/** N interchangeable units (e.g. test databases); a grant names the units it got. */
export interface PoolResourceDecl {
  id: string;
  kind: 'pool';
  /** Unit names, or a count (units are then named `<id>#1` … `<id>#N`). */
  units: readonly string[] | number;
}
/** A rate-limited API: a token bucket refilled with `requests` tokens per `periodMs`. */
export interface RateResourceDecl {
  id: string;
  kind: 'rate';
  requests: number;
  periodMs: number;
  /** Bucket size (largest burst); defaults to `requests`. */
  burst?: number;
}
export type ResourceDecl = LockableResourceDecl | PoolResourceDecl | RateResourceDecl;

export interface ReservationConfig {
  resources: readonly ResourceDecl[];
  /** A waiter's effective priority improves by one level per step of waiting (default 60 s). */
  agingStepMs?: number;
  /** Whether a P0 waiter may preempt lower-priority holders (default true). */
  preemption?: boolean;
  /**
   * Resources each agent may reserve (a resource covers its descendants). When
   * absent every agent may reserve everything; when present, unlisted agents may not.
   */
  access?: Readonly<Record<string, readonly string[]>>;
}

/** The normalised configuration kept inside the state. */
export interface NormalisedConfig {
  resources: ResourceDecl[];
  agingStepMs: number;
  preemption: boolean;
  access: Record<string, string[]> | null;
}

/** Who holds or waits: an attempt of an agent on a work item. */
export interface Owner {
  agent: string;
  workItem: string;
  attempt: number;
}

/** One thing a request asks for. */
export interface TargetInput {
  resource: string;
  /** Lock mode on a lockable resource (default X); ignored for pools and rate limits. */
  mode?: LockMode;
  /** Half-open row range `[from, to)` on a table. */
  range?: readonly [number, number];
  /** Units of a pool (default 1). */
  units?: number;
  /** Tokens of a rate limit (default 1). */
  tokens?: number;
}

export interface ReservationRequest {
  /** Caller-chosen id; generated (`rsv-N`) when absent. */
  id?: string;
  owner: Owner;
  priority: Priority;
  /** One or more targets, taken all-or-nothing. */
  targets: readonly TargetInput[];
  leaseMs: number;
  /** When the owner last checkpointed; work since then is what a victim loses (default: now). */
  checkpointAt?: number;
}

/** A validated target. `amount` counts pool units or rate tokens. */
export type Target =
  | { resource: string; kind: 'lock'; mode: LockMode; range?: [number, number] }
  | { resource: string; kind: 'pool'; amount: number }
  | { resource: string; kind: 'rate'; amount: number };

/** What one target of a grant received. */
export interface Grant {
  resource: string;
  fence: number;
  /** Pool units assigned. */
  units?: string[];
}

export type RequeueCause = 'preempted' | 'deadlock';

/** A reservation, waiting or held, as kept in the state. */
export interface Reservation {
  id: string;
  owner: Owner;
  priority: Priority;
  targets: Target[];
  leaseMs: number;
  checkpointAt: number;
  /** Queue order among equal aging keys; strictly increasing per enqueue. */
  seq: number;
  status: 'waiting' | 'held';
  enqueuedAt: number;
  requeued?: RequeueCause;
  /**
   * A deadlock victim's requeued requests are served no earlier than this aging
   * key: behind the waiters of the cycle it broke, so that it cannot win the
   * same resources straight back and rebuild the cycle.
   */
  keyFloor?: number;
  grantedAt?: number;
  expiresAt?: number;
  grants?: Grant[];
}

export interface DeadlockReport {
  at: number;
  /** Owners (as `agent/workItem#attempt`) in the cycle. */
  cycle: string[];
  /** Waiting reservations of the cycle. */
  reservations: string[];
  victim: string;
  /** Why the victim was chosen. */
  reason: string;
  /** The victim's reservations revoked and requeued (rolled back to its checkpoint). */
  requeued: string[];
}

export interface ReservationStats {
  granted: number;
  queued: number;
  refused: number;
  released: number;
  expired: number;
  preempted: number;
  deadlocksResolved: number;
  fenceRejected: number;
}

/** The whole state: plain JSON, restorable with `ReservationManager.restore`. */
export interface ReservationState {
  version: 1;
  config: NormalisedConfig;
  nextId: number;
  seq: number;
  /** Last fencing token issued per resource. */
  fences: Record<string, number>;
  /** Token buckets, level scaled by `periodMs` so refill stays integral: `{ level, at }`. */
  buckets: Record<string, { level: number; at: number }>;
  reservations: Record<string, Reservation>;
  /** The most recent deadlock reports (at most 50). */
  deadlocks: DeadlockReport[];
  stats: ReservationStats;
}

export const REFUSAL_REASONS = [
  'invalid',
  'unknown-resource',
  'not-allowed',
  'exceeds-capacity',
  'self-conflict',
  'duplicate-id',
] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

export type ReleaseReason = 'released' | 'cancelled' | 'owner-dead';

/** A waiting reservation as carried by events (enough to rebuild it). */
export type WaitingRecord = Omit<Reservation, 'status' | 'grantedAt' | 'expiresAt' | 'grants'>;

export type ReservationEvent =
  | { type: 'reservation.queued'; at: number; reservation: WaitingRecord; blockedBy: string[] }
  | {
      type: 'reservation.granted';
      at: number;
      reservation: WaitingRecord;
      grants: Grant[];
      expiresAt: number;
    }
  | {
      type: 'reservation.refused';
      at: number;
      id: string | null;
      owner: Owner;
      reason: RefusalReason;
      message: string;
    }
  | { type: 'reservation.released'; at: number; id: string; reason: ReleaseReason }
  | { type: 'reservation.renewed'; at: number; id: string; expiresAt: number; checkpointAt: number }
  | { type: 'reservation.expired'; at: number; id: string; expiresAt: number }
  | {
      type: 'reservation.preempted';
      at: number;
      id: string;
      by: string;
      requeue: WaitingRecord;
    }
  | {
      type: 'reservation.deadlock_resolved';
      at: number;
      report: DeadlockReport;
      requeue: WaitingRecord[];
    }
  | {
      type: 'reservation.fence_rejected';
      at: number;
      resource: string;
      token: number;
      reason: FenceRejection;
      latest: number;
    };

export type ReservationEventType = ReservationEvent['type'];

export type FenceRejection = 'expired' | 'stale' | 'unknown-token' | 'unknown-resource';
