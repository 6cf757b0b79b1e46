/**
 * The engine's side of the scheduler: an attempt the engine would start
 * becomes a candidate (its item's priority, team and project, the agent's
 * runtime, the pass's declared resources); admitted attempts keep their lease
 * alive while they run, have their fencing tokens checked before they commit,
 * and release slot and resources when they end. The logic lives in
 * src/scheduling (PassDispatcher).
 */
import {
  type PassCandidate,
  PassDispatcher,
  passRunId,
  poolsFor,
  reservationConfigFor,
} from '../scheduling/index.ts';
import type { ItemPlan } from './build-plan.ts';
import type { Action } from './decide.ts';
import type { EngineContext } from './engine-context.ts';

export { type PassCandidate, passRunId } from '../scheduling/index.ts';

type StartAttempt = Extract<Action, { kind: 'start_attempt' }>;

/** Opens the dispatcher over keel.yaml's resources and pools (one local pool of `slots` when none). */
export function openDispatcher(ctx: EngineContext, slots: number): Promise<PassDispatcher> {
  return PassDispatcher.open({
    ledger: ctx.ledger,
    reservations: reservationConfigFor(ctx.definitions),
    pools: poolsFor(ctx.definitions, slots),
  });
}

/** The scheduler's view of an attempt the engine is ready to start. */
export function candidateOf(plan: ItemPlan, action: StartAttempt): PassCandidate | undefined {
  const pass = plan.passes.get(action.pass);
  // A human pass records a person's work: it takes no worker slot.
  if (!pass || pass.agent.runtime.kind === 'human') return undefined;
  return {
    workItem: plan.item.id,
    pass: pass.id,
    attempt: action.attempt,
    agent: pass.agent.name,
    team: plan.item.team,
    project: plan.item.project,
    priority: plan.item.priority,
    runtime: pass.agent.runtime.kind,
    resources: pass.resources,
  };
}

/**
 * Runs an admitted attempt: renews its lease a few times per lease while it
 * lives, and releases its slot and resources when it ends, however it ends.
 */
export async function whileAdmitted<T>(
  dispatcher: PassDispatcher,
  id: string,
  work: () => Promise<T>,
): Promise<T> {
  const timer = setInterval(
    () => {
      dispatcher.heartbeat(id).catch(() => {
        // A failed renewal shows up as an expired lease at the fence check before commit.
      });
    },
    Math.max(50, Math.floor(dispatcher.leaseMs / 3)),
  );
  timer.unref();
  try {
    return await work();
  } finally {
    clearInterval(timer);
    await dispatcher.finish(id);
  }
}

/** The fence check the attempt runs before committing: null when its reservation is still valid. */
export function fenceCheckFor(
  dispatcher: PassDispatcher,
): (itemId: string, pass: string, attempt: number) => Promise<string | null> {
  return (itemId, pass, attempt) =>
    dispatcher.checkFences(passRunId({ workItem: itemId, pass, attempt }));
}
