/**
 * The scheduler's core: ready passes, pools of slots, fair-share accounting and
 * wait records. `decide` is pure (it reads the state and returns a Decision);
 * `commit` applies a decision. No I/O, no clock: time is an argument.
 */
import { PRIORITIES, RUNTIMES } from '../../core/index.ts';
import { ReservationConfigError } from '../reservations/index.ts';
import { decide } from './decide.ts';
import { ReadyIndex } from './ready-queue.ts';
import type {
  BudgetCheck,
  Decision,
  ReadyPass,
  ResourceCheck,
  Running,
  SchedulerConfig,
  SchedulerSnapshot,
  WaitRecord,
} from './types.ts';

function fail(message: string, hint: string): never {
  throw new ReservationConfigError(message, { hint });
}

function validateConfig(config: SchedulerConfig): SchedulerConfig {
  if (!Array.isArray(config?.pools) || config.pools.length === 0) {
    fail('scheduler: `pools` must list at least one pool', 'declare pools with id and slots');
  }
  const ids = new Set<string>();
  config.pools.forEach((p, i) => {
    if (typeof p.id !== 'string' || p.id === '' || ids.has(p.id)) {
      fail(`scheduler: pools[${i}]: missing or duplicate id`, 'give each pool a unique id');
    }
    ids.add(p.id);
    if (!Number.isInteger(p.slots) || p.slots <= 0) {
      fail(`scheduler: pools[${i}] (${p.id}): slots must be a positive integer`, 'e.g. slots: 4');
    }
    for (const r of p.runtimes ?? []) {
      if (!(RUNTIMES as readonly string[]).includes(r)) {
        fail(
          `scheduler: pools[${i}] (${p.id}): unknown runtime "${r}"`,
          `use one of ${RUNTIMES.join(', ')}`,
        );
      }
    }
  });
  for (const [name, weights] of [
    ['teamWeights', config.teamWeights],
    ['projectWeights', config.projectWeights],
  ] as const) {
    for (const [k, w] of Object.entries(weights ?? {})) {
      if (!(typeof w === 'number' && w > 0 && Number.isFinite(w))) {
        fail(
          `scheduler: ${name}.${k} must be a positive number`,
          'weights are relative shares, e.g. 2',
        );
      }
    }
  }
  const step = config.agingStepMs ?? 600_000;
  if (!Number.isInteger(step) || step <= 0)
    fail('scheduler: agingStepMs must be a positive integer', 'e.g. 600000');
  return structuredClone({ ...config, agingStepMs: step });
}

/** Ready queue, slots and fair-share state of one scheduler. */
export class Scheduler {
  readonly config: SchedulerConfig;
  readonly index: ReadyIndex;
  readonly running = new Map<string, Running>();
  /** pool → occupied slot numbers. */
  readonly occupied = new Map<string, Set<number>>();
  readonly waits = new Map<string, WaitRecord>();
  readonly teamTime = new Map<string, number>();
  readonly projectTime = new Map<string, number>();
  private seq = 0;

  private constructor(config: SchedulerConfig) {
    this.config = config;
    this.index = new ReadyIndex(config.pools);
    for (const p of config.pools) this.occupied.set(p.id, new Set());
  }

  /** An empty scheduler; throws on an invalid configuration. */
  static create(config: SchedulerConfig): Scheduler {
    return new Scheduler(validateConfig(config));
  }

  /** Rebuilds a scheduler (and its indexes) from a snapshot. */
  static restore(snapshot: SchedulerSnapshot): Scheduler {
    const s = Scheduler.create(snapshot.config);
    for (const [k, v] of Object.entries(snapshot.virtualTime.teams)) s.teamTime.set(k, v);
    for (const [k, v] of Object.entries(snapshot.virtualTime.projects)) s.projectTime.set(k, v);
    for (const r of snapshot.running) {
      s.running.set(r.pass, { ...r });
      s.occupied.get(r.pool)?.add(r.slot);
      s.index.touch(r.team, r.project, 1);
    }
    for (const p of snapshot.ready) {
      s.index.add(structuredClone(p));
      s.index.touch(p.team, p.project, 1);
    }
    for (const [k, w] of Object.entries(snapshot.waits)) s.waits.set(k, { ...w });
    s.seq = snapshot.seq;
    return s;
  }

  /** The state as plain JSON. */
  snapshot(): SchedulerSnapshot {
    const ready = [...this.index.byId.values()]
      .map((e) => structuredClone(e.pass))
      .sort((a, b) => a.seq - b.seq);
    return {
      version: 1,
      config: structuredClone(this.config),
      seq: this.seq,
      ready,
      running: [...this.running.values()]
        .map((r) => ({ ...r }))
        .sort((a, b) => (a.pass < b.pass ? -1 : 1)),
      waits: Object.fromEntries(
        [...this.waits].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, { ...v }]),
      ),
      virtualTime: {
        teams: Object.fromEntries(this.teamTime),
        projects: Object.fromEntries(this.projectTime),
      },
    };
  }

  teamWeight(team: string): number {
    return this.config.teamWeights?.[team] ?? 1;
  }

  projectWeight(project: string): number {
    return this.config.projectWeights?.[project] ?? 1;
  }

  /** Adds a ready pass; it waits for a slot (reason `pool`) from its `readyAt`. */
  enqueue(pass: ReadyPass): void {
    if (this.index.byId.has(pass.id) || this.running.has(pass.id)) {
      fail(
        `scheduler: pass "${pass.id}" is already queued or running`,
        'pass ids must be unique per run',
      );
    }
    if (!(PRIORITIES as readonly string[]).includes(pass.priority)) {
      fail(
        `scheduler: pass "${pass.id}": unknown priority "${String(pass.priority)}"`,
        'use P0–P3',
      );
    }
    if (!Number.isFinite(pass.readyAt))
      fail(`scheduler: pass "${pass.id}": readyAt must be a time`, 'ms since epoch');
    this.activate(pass.team, pass.project);
    // Shallow copy: the pass's nested lists are never mutated here.
    this.index.add({ ...pass, seq: ++this.seq });
    this.index.touch(pass.team, pass.project, 1);
    const runnable = this.index.runnable(pass);
    this.waits.set(pass.id, {
      pass: pass.id,
      reason: 'pool',
      detail: runnable
        ? 'waiting for a free slot'
        : `no pool offers runtime ${pass.runtime}${pass.labels?.length ? ` with labels ${pass.labels.join(', ')}` : ''}${pass.pool ? ` in pool ${pass.pool}` : ''}`,
      since: pass.readyAt,
    });
  }

  // Start-time fair queueing: a team (or project) that was idle starts at the
  // smallest virtual time of the active ones, so idleness earns no burst credit.
  private activate(team: string, project: string): void {
    const pk = `${team}/${project}`;
    if (!this.index.active.has(team)) {
      const floor = Math.min(
        ...[...this.teamTime].filter(([t]) => this.index.active.has(t)).map(([, v]) => v),
        Number.POSITIVE_INFINITY,
      );
      const cur = this.teamTime.get(team) ?? 0;
      this.teamTime.set(team, Number.isFinite(floor) ? Math.max(cur, floor) : cur);
    }
    if (!this.index.active.has(pk)) {
      const prefix = `${team}/`;
      const floor = Math.min(
        ...[...this.projectTime]
          .filter(([p]) => p.startsWith(prefix) && this.index.active.has(p))
          .map(([, v]) => v),
        Number.POSITIVE_INFINITY,
      );
      const cur = this.projectTime.get(pk) ?? 0;
      this.projectTime.set(pk, Number.isFinite(floor) ? Math.max(cur, floor) : cur);
    }
  }

  /** Withdraws a ready pass (cancelled, or its work item paused). */
  withdraw(passId: string): boolean {
    const p = this.index.remove(passId);
    if (!p) return false;
    this.index.touch(p.team, p.project, -1);
    this.waits.delete(passId);
    return true;
  }

  /** Frees the slot of a finished (or failed) pass. */
  complete(passId: string): boolean {
    const r = this.running.get(passId);
    if (!r) return false;
    this.running.delete(passId);
    this.occupied.get(r.pool)?.delete(r.slot);
    this.index.touch(r.team, r.project, -1);
    return true;
  }

  /** The dispatch decisions for every free slot at `now` (pure: nothing changes). */
  decide(now: number, checks: { budget?: BudgetCheck; resources?: ResourceCheck } = {}): Decision {
    return decide(this, now, checks);
  }

  /** Applies a decision from `decide` (dispatches start, waits are recorded). */
  commit(decision: Decision): void {
    for (const w of decision.waits) this.waits.set(w.pass, { ...w });
    for (const d of decision.dispatch) {
      const p = this.index.remove(d.pass);
      if (!p)
        fail(
          `scheduler: cannot dispatch "${d.pass}": it is not queued`,
          'commit each decision once',
        );
      this.waits.delete(d.pass);
      this.running.set(d.pass, {
        pass: d.pass,
        pool: d.pool,
        slot: d.slot,
        team: p.team,
        project: p.project,
        startedAt: decision.at,
      });
      this.occupied.get(d.pool)!.add(d.slot);
      const pk = `${p.team}/${p.project}`;
      this.teamTime.set(p.team, (this.teamTime.get(p.team) ?? 0) + 1 / this.teamWeight(p.team));
      this.projectTime.set(pk, (this.projectTime.get(pk) ?? 0) + 1 / this.projectWeight(p.project));
    }
  }

  /** The queued pass with this id, if any. */
  queued(passId: string): ReadyPass | undefined {
    return this.index.byId.get(passId)?.pass;
  }
}
