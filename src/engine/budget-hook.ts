/**
 * The engine's side of budgets: which dispatches are budgeted (attempts of
 * agents that call models, and review gates), with what item scopes, model
 * and priority. The decisions and records live in src/budgets.
 */
import type { Dispatch, DispatchBudgets, DispatchVerdict } from '../budgets/index.ts';
import { PRIORITIES } from '../core/index.ts';
import type { ItemPlan } from './build-plan.ts';
import type { Action } from './decide.ts';
import type { EngineContext } from './engine-context.ts';
import { chooseTarget } from './routing.ts';
import type { RunState } from './run-state.ts';

/** The budgeted dispatch an action is, or undefined when it spends nothing on models. */
export function dispatchOf(
  ctx: EngineContext,
  plan: ItemPlan,
  plans: readonly ItemPlan[],
  state: RunState,
  action: Action,
): Dispatch | undefined {
  const pass = 'pass' in action ? plan.passes.get(action.pass) : undefined;
  if (!pass) return undefined;
  const rank = (p: ItemPlan) => PRIORITIES.indexOf(p.item.priority);
  const base = {
    itemId: plan.item.id,
    pass: pass.id,
    item: {
      org: plan.item.org,
      team: plan.item.team,
      project: plan.item.project,
      owner: plan.item.owner,
      priority: plan.item.priority,
    },
    higherWaiting: plans.some((p) => p !== plan && rank(p) < rank(plan)),
  };
  if (action.kind === 'start_attempt') {
    if (pass.agent.runtime.kind === 'human') return undefined;
    const t = chooseTarget(ctx.definitions.config, ctx.catalog, action.tier, ctx.env);
    return {
      ...base,
      attempt: action.attempt,
      kind: 'attempt',
      agent: pass.agent.name,
      model: t ? { provider: t.provider.name, model: t.model } : undefined,
    };
  }
  if (action.kind === 'evaluate_gate') {
    const gate = pass.gates.find((g) => g.id === action.gate);
    if (gate?.check.kind !== 'review') return undefined;
    const started = state.passes
      .get(pass.id)
      ?.attempts.find((a) => a.started.attempt === action.attempt)?.started;
    return {
      ...base,
      attempt: action.attempt,
      kind: 'gate',
      gate: gate.id,
      agent: gate.check.agent.name,
      model:
        started?.provider && started.model
          ? { provider: started.provider, model: started.model }
          : undefined,
    };
  }
  return undefined;
}

/** Admits a dispatch through the budgets (a non-budgeted action always goes). */
export async function admitDispatch(
  budgets: DispatchBudgets,
  dispatch: Dispatch | undefined,
): Promise<DispatchVerdict> {
  return dispatch ? budgets.admit(dispatch) : { go: true };
}
