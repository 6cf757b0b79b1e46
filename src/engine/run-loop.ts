/**
 * The orchestrator loop: reads each work item's events, projects its run,
 * decides, records quick decisions at once and hands attempts and gate
 * evaluations to workers (up to `concurrency` at a time), until every item is
 * complete — or, with `untilIdle`, until nothing can move without a person.
 * It holds no state the ledger lacks beyond "which work is in flight here".
 */
import { DispatchBudgets } from '../budgets/index.ts';
import { InvalidInputError } from '../core/index.ts';
import { loadCatalog, type PriceCatalog } from '../cost/index.ts';
import type { Definitions } from '../definitions/index.ts';
import type { LedgerEvent, LedgerStore } from '../ledger/index.ts';
import type { RetryPolicy } from '../runtimes/index.ts';
import {
  WORK_ITEM_PLANNED,
  WORK_ITEM_SUBMITTED,
  type WorkItemPlanned,
  type WorkItemSubmitted,
} from '../workitems/index.ts';
import { applyQuickAction } from './apply-action.ts';
import { admitDispatch, dispatchOf } from './budget-hook.ts';
import { buildItemPlan, type ItemPlan } from './build-plan.ts';
import { type Action, decide } from './decide.ts';
import type { EngineContext } from './engine-context.ts';
import { WORK_ITEM_COMPLETED } from './events.ts';
import { executeAttempt } from './execute-attempt.ts';
import { executeGate } from './execute-gate.ts';
import { newGenerationId } from './ids.ts';
import { acquireEngineLock } from './lock.ts';
import { projectRun, type RunState } from './run-state.ts';
import {
  candidateOf,
  fenceCheckFor,
  openDispatcher,
  type PassCandidate,
  passRunId,
  whileAdmitted,
} from './scheduler-hook.ts';

export interface RunOptions {
  root: string;
  definitions: Definitions;
  ledger: LedgerStore;
  env: NodeJS.ProcessEnv;
  /** Work item ids to drive; every item not completed when empty. */
  items?: readonly string[];
  /** Attempts and gate evaluations in flight at once (default 2). */
  concurrency?: number;
  /** Return when nothing can progress without a person, instead of polling for approvals. */
  untilIdle?: boolean;
  /** How often to look for approvals given from other processes (default 500 ms). */
  pollMs?: number;
  catalog?: PriceCatalog;
  signal?: AbortSignal;
  onEvent?: (event: LedgerEvent) => void;
  /** Live steps of coding-agent runtimes, for progress display (not in the ledger). */
  onProgress?: EngineContext['onProgress'];
  /** keel-side retries of each model call (tests shorten the backoff). */
  retry?: Partial<RetryPolicy>;
  /** Regenerate every pass output instead of reusing an identical earlier one. */
  noCache?: boolean;
  /** Skips the repository lock (tests driving several engines deliberately). */
  noLock?: boolean;
}

export interface RunResult {
  items: { plan: ItemPlan; state: RunState }[];
  /** True when it stopped with items still waiting for a person. */
  idle: boolean;
}

/** Drives work items to completion (or idleness); returns their final projected states. */
export async function runWorkItems(options: RunOptions): Promise<RunResult> {
  const release = options.noLock ? () => {} : acquireEngineLock(options.root);
  try {
    return await loop(options);
  } finally {
    release();
  }
}

async function loop(options: RunOptions): Promise<RunResult> {
  const controller = new AbortController();
  const signal = options.signal
    ? AbortSignal.any([options.signal, controller.signal])
    : controller.signal;
  const ctx: EngineContext = {
    root: options.root,
    definitions: options.definitions,
    ledger: options.ledger,
    catalog: options.catalog ?? loadCatalog(options.root),
    env: options.env,
    signal,
    onEvent: options.onEvent ?? (() => {}),
    onProgress: options.onProgress,
    retry: options.retry,
    noCache: options.noCache,
  };
  const plans = await loadPlans(options);
  const budgets = new DispatchBudgets({
    ledger: ctx.ledger,
    config: ctx.definitions.config,
    catalog: ctx.catalog,
    env: ctx.env,
    holder: newGenerationId(),
  });
  // Under the repository lock, another orchestrator's open reservation is a crash's leftover.
  if (!options.noLock) await budgets.recover();
  const concurrency = Math.max(1, options.concurrency ?? 2);
  // Attempts go through the scheduler: pool slots, declared resources (persisted reservations), recorded waits.
  const dispatcher = await openDispatcher(ctx, concurrency);
  ctx.beforeCommit = fenceCheckFor(dispatcher);
  const busy = new Map<string, Set<string>>(plans.map((p) => [p.item.id, new Set<string>()]));
  const running = new Set<Promise<void>>();
  let wake: () => void = () => {};
  let woken = false;
  const onAbort = () => wake();
  signal.addEventListener('abort', onAbort, { once: true });
  const errors: unknown[] = [];

  try {
    for (;;) {
      if (signal.aborted) break;
      if (errors.length > 0) throw errors[0];
      woken = false;
      let recorded = false;
      let waiting = false;
      let blockedOnSlot = false;
      const states: RunState[] = [];
      const offered = new Map<string, { candidate: PassCandidate; launch: (id: string) => void }>();
      for (const plan of plans) {
        const state = projectRun(plan.item.id, await ctx.ledger.read({ workItemId: plan.item.id }));
        states.push(state);
        const itemBusy = busy.get(plan.item.id) as Set<string>;
        for (const action of decide(state, plan.plan, itemBusy)) {
          if (action.kind === 'wait') {
            waiting = true;
            continue;
          }
          if (await applyQuickAction(ctx, plan.item.id, action)) {
            recorded = true;
            continue;
          }
          const candidate = action.kind === 'start_attempt' && candidateOf(plan, action);
          if (!candidate && running.size >= concurrency) {
            blockedOnSlot = true;
            continue;
          }
          const dispatch = dispatchOf(ctx, plan, plans, state, action);
          if (!(await admitDispatch(budgets, dispatch)).go) {
            waiting = true;
            continue;
          }
          const pass = passOf(action);
          const launch = (admitted?: string) => {
            itemBusy.add(pass);
            const run = () => work(ctx, plan, state, action);
            const task = (admitted ? whileAdmitted(dispatcher, admitted, run) : run())
              .then(() => (dispatch ? budgets.settle(dispatch) : undefined))
              .catch((error: unknown) => {
                errors.push(error);
              })
              .finally(() => {
                itemBusy.delete(pass);
                running.delete(task);
                woken = true;
                wake();
              });
            running.add(task);
          };
          if (candidate) offered.set(passRunId(candidate), { candidate, launch });
          else launch();
        }
      }
      // The scheduler picks among the offered attempts; the others wait (recorded, and polled).
      for (const a of await dispatcher.admit([...offered.values()].map((o) => o.candidate))) {
        offered.get(a.id)?.launch(a.id);
        offered.delete(a.id);
      }
      if (offered.size > 0) blockedOnSlot = true;
      if (states.every((s) => s.completed)) break;
      if (recorded) continue;
      if (running.size === 0 && !blockedOnSlot) {
        if (options.untilIdle || !waiting) break;
      }
      if (woken) continue;
      // Wait for a worker to finish, or poll for approvals given elsewhere.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, running.size > 0 ? 5_000 : (options.pollMs ?? 500));
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = () => {};
    }
  } finally {
    signal.removeEventListener('abort', onAbort);
    controller.abort();
    await Promise.allSettled([...running]);
    await dispatcher.close();
  }
  if (errors.length > 0) throw errors[0];
  const items = [];
  for (const plan of plans) {
    items.push({
      plan,
      state: projectRun(plan.item.id, await ctx.ledger.read({ workItemId: plan.item.id })),
    });
  }
  return { items, idle: items.some((i) => !i.state.completed) };
}

function passOf(action: Action): string {
  if (action.kind === 'start_attempt' || action.kind === 'evaluate_gate') return action.pass;
  throw new Error(`action ${action.kind} is not worker work`);
}

async function work(
  ctx: EngineContext,
  plan: ItemPlan,
  state: RunState,
  action: Action,
): Promise<void> {
  const order = plan.plan.passes.map((p) => plan.passes.get(p.id)).filter((p) => p !== undefined);
  if (action.kind === 'start_attempt') {
    const pass = plan.passes.get(action.pass);
    if (!pass) return;
    await executeAttempt(ctx, { item: plan.item, order, pass, state }, action);
    return;
  }
  if (action.kind === 'evaluate_gate') {
    const pass = plan.passes.get(action.pass);
    const attempt = state.passes
      .get(action.pass)
      ?.attempts.find((a) => a.started.attempt === action.attempt);
    if (!pass || !attempt) return;
    const workflow = ctx.definitions.workflows.find((w) => w.name === plan.planned.workflow.name);
    await executeGate(
      ctx,
      {
        item: plan.item,
        pass,
        attempt,
        state,
        defaultTier: workflow?.defaultTier ?? ctx.definitions.config.routing.defaultTier,
      },
      action,
    );
  }
}

/** The plans of the items to drive: the given ids, or every item not completed. */
async function loadPlans(options: RunOptions): Promise<ItemPlan[]> {
  const submitted = new Map<string, WorkItemSubmitted>();
  const planned = new Map<string, WorkItemPlanned>();
  const completed = new Set<string>();
  for await (const e of options.ledger.iterate({
    types: [WORK_ITEM_SUBMITTED, WORK_ITEM_PLANNED, WORK_ITEM_COMPLETED],
  })) {
    if (!e.workItemId) continue;
    if (e.type === WORK_ITEM_SUBMITTED)
      submitted.set(e.workItemId, e.data as unknown as WorkItemSubmitted);
    else if (e.type === WORK_ITEM_PLANNED)
      planned.set(e.workItemId, e.data as unknown as WorkItemPlanned);
    else completed.add(e.workItemId);
  }
  const ids = options.items?.length
    ? [...options.items]
    : [...submitted.keys()].filter((id) => !completed.has(id));
  return ids.map((id) => {
    const item = submitted.get(id);
    const plan = planned.get(id);
    if (!item || !plan) {
      throw new InvalidInputError(`no work item \`${id}\``, {
        hint:
          submitted.size === 0
            ? 'nothing has been submitted yet: use `keel submit`'
            : '`keel list` shows the work items',
      });
    }
    return buildItemPlan(options.definitions, item, plan);
  });
}
