/** The results the reservation manager's operations return, beside their events. */
import type { Priority } from '../../core/index.ts';
import type {
  DeadlockReport,
  FenceRejection,
  Grant,
  Owner,
  RefusalReason,
  ReservationEvent,
} from './types.ts';

/** What an operation decided, and the events that record it (persist them in order). */
export interface Transition<T> {
  result: T;
  events: ReservationEvent[];
}

/** A reservation standing in the way of a request. */
export interface Blocker {
  id: string;
  owner: Owner;
  priority: Priority;
  status: 'held' | 'waiting';
  /** Resources of the blocker's request. */
  resources: string[];
  expiresAt?: number;
}

export type RequestOutcome =
  | { kind: 'granted'; id: string; grants: Grant[]; expiresAt: number; preempted: string[] }
  | { kind: 'queued'; id: string; position: number; blockedBy: Blocker[]; estimatedWaitMs: number }
  | { kind: 'refused'; id: string | null; reason: RefusalReason; message: string }
  /** Try-acquire only: not granted now, nothing queued. */
  | { kind: 'busy'; blockedBy: Blocker[]; estimatedWaitMs: number };

export type ProbeOutcome =
  | { grantable: true }
  | { grantable: false; blockedBy: Blocker[]; estimatedWaitMs: number }
  | { grantable: false; refused: RefusalReason; message: string };

export type ReleaseOutcome =
  | { released: true; id: string; granted: string[] }
  | { released: false; id: string; reason: 'unknown' };

export type RenewOutcome =
  | { renewed: true; id: string; expiresAt: number }
  | { renewed: false; id: string; reason: 'unknown' | 'not-held' | 'expired' };

export interface TickReport {
  expired: string[];
  granted: string[];
  preempted: string[];
  deadlocks: DeadlockReport[];
}

export type FenceCheck =
  | { ok: true; holder: string }
  | { ok: false; reason: FenceRejection; latest: number };
