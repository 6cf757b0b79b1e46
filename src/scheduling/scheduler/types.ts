/** The plain shapes of the scheduler core: pools, ready passes, waits and decisions. */
import type { Priority, RuntimeKind } from '../../core/index.ts';
import type { TargetInput } from '../reservations/index.ts';

/** Execution capacity: `slots` workers offering `labels` and able to run `runtimes`. */
export interface PoolDecl {
  id: string;
  slots: number;
  labels?: readonly string[];
  /** Runtimes the pool can run; all when absent. */
  runtimes?: readonly RuntimeKind[];
}

export interface SchedulerConfig {
  pools: readonly PoolDecl[];
  /** Fair-share weight per team (default 1). */
  teamWeights?: Readonly<Record<string, number>>;
  /** Fair-share weight per project within its team (default 1). */
  projectWeights?: Readonly<Record<string, number>>;
  /** A ready pass's effective priority improves one level per step of waiting (default 10 min). */
  agingStepMs?: number;
}

/** A pass whose inputs exist and which waits for a slot. */
export interface ReadyPass {
  /** Unique id of this pass run (e.g. `WI-12/design#1`). */
  id: string;
  workItem: string;
  pass: string;
  attempt: number;
  /** The agent that will run it (reservation owner); defaults to the pass name. */
  agent?: string;
  team: string;
  project: string;
  priority: Priority;
  readyAt: number;
  runtime: RuntimeKind;
  /** Capabilities a pool must offer. */
  labels?: readonly string[];
  /** Pin to one pool. */
  pool?: string;
  /** Reservations the pass needs before it can start (taken all-or-nothing). */
  resources?: readonly TargetInput[];
  leaseMs?: number;
}

export const WAIT_REASONS = ['pool', 'resource', 'budget', 'human'] as const;
export type WaitReason = (typeof WAIT_REASONS)[number];

/** Why a ready pass is not running, since when. */
export interface WaitRecord {
  pass: string;
  reason: WaitReason;
  detail: string;
  since: number;
}

/** A wait that is over (the pass was dispatched or now waits for something else). */
export interface EndedWait extends WaitRecord {
  until: number;
  durationMs: number;
}

export interface Dispatch {
  pass: string;
  pool: string;
  slot: number;
  /** Effective priority when chosen (after aging). */
  effectivePriority: Priority;
  waitedMs: number;
}

export interface Running {
  pass: string;
  pool: string;
  slot: number;
  team: string;
  project: string;
  startedAt: number;
}

/** What `decide` chose at `at`; nothing changes until it is committed. */
export interface Decision {
  at: number;
  dispatch: Dispatch[];
  /** Waits that started or changed reason. */
  waits: WaitRecord[];
  ended: EndedWait[];
  /** Free slots left idle per pool (no fitting pass could proceed). */
  idle: Record<string, number>;
}

/** The budget check injected by the cost domain. */
export type BudgetCheck = (
  pass: ReadyPass,
  now: number,
) => { ok: true } | { ok: false; reason: 'budget' | 'human'; detail: string };

/** Whether a pass's reservations could be granted now, counting passes already planned this round. */
export type ResourceCheck = (
  pass: ReadyPass,
  planned: readonly ReadyPass[],
  now: number,
) =>
  | { ok: true }
  | {
      ok: false;
      detail: string;
      estimatedWaitMs?: number;
      /**
       * Owners (`agent/workItem#attempt`) holding conflicting grants. Lets a
       * round treat every other pass asking for exactly the same targets as
       * busy without asking again: a holder blocks whatever the asker's priority.
       */
      heldBy?: string[];
    };

export interface SchedulerSnapshot {
  version: 1;
  config: SchedulerConfig;
  seq: number;
  ready: (ReadyPass & { seq: number })[];
  running: Running[];
  waits: Record<string, WaitRecord>;
  /** Fair-share virtual time per team and per `team/project`. */
  virtualTime: { teams: Record<string, number>; projects: Record<string, number> };
}
