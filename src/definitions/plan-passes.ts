/**
 * The pass DAG a workflow runs in one mode: passes restricted to other modes
 * dropped (their dependants inherit their needs, so order is kept), gates
 * filtered by `optional`/`skip_gates`/`add_gates`, unpinned tiers shifted —
 * returned in a topological order. Pure.
 */
import { NotFoundError } from '../core/index.ts';
import type { Agent, Checkpoint, Gate, Pass, ResourceRequest, Workflow } from './types.ts';
import { runsIn } from './workflow-modes.ts';

export interface PlannedPass {
  id: string;
  pass: Pass;
  agent: Agent;
  /** Passes of this plan it waits for (needs through dropped passes are followed). */
  needs: string[];
  inputs: string[];
  outputs: string[];
  gates: Gate[];
  actions: string[];
  resources: ResourceRequest[];
  checkpoints: Checkpoint[];
  /** The model tier it starts on, after the mode's shift. */
  tier: string;
  /** True when the pass pins its tier, which modes do not move. */
  tierPinned: boolean;
}

/** Plans the passes of `workflow` for `mode` in a topological order (declaration order among ready passes). */
export function planPasses(workflow: Workflow, mode: string): PlannedPass[] {
  const settings = workflow.modes[mode];
  if (!settings) {
    throw new NotFoundError(`workflow \`${workflow.name}\` has no mode \`${mode}\``, {
      hint: `its modes are ${Object.keys(workflow.modes).join(', ')}`,
    });
  }
  const byId = new Map(workflow.passes.map((p) => [p.id, p]));
  const included = workflow.passes.filter((p) => runsIn(p.modes, mode));
  const includedIds = new Set(included.map((p) => p.id));

  const effectiveNeeds = (pass: Pass): string[] => {
    const out = new Set<string>();
    const seen = new Set<string>();
    const follow = (ids: readonly string[]): void => {
      for (const id of ids) {
        if (seen.has(id)) continue;
        seen.add(id);
        if (includedIds.has(id)) out.add(id);
        else follow(byId.get(id)?.needs ?? []);
      }
    };
    follow(pass.needs);
    return [...out];
  };

  const planned = included.map(
    (pass): PlannedPass => ({
      id: pass.id,
      pass,
      agent: pass.agent,
      needs: effectiveNeeds(pass),
      inputs: [...pass.inputs],
      outputs: [...pass.outputs],
      gates: pass.gates.filter(
        (g) =>
          (!g.optional || settings.addGates.includes(g.id)) && !settings.skipGates.includes(g.id),
      ),
      actions: [...pass.actions],
      resources: [...pass.resources],
      checkpoints: [...pass.checkpoints],
      tier:
        pass.tier ??
        shiftTier(workflow.tiers, pass.agent.tier ?? workflow.defaultTier, settings.tierShift),
      tierPinned: pass.tier !== undefined,
    }),
  );
  return topologicalOrder(planned, workflow.name);
}

/** Moves `tier` by `shift` steps along `tiers` (cheapest first), staying within the list. */
export function shiftTier(tiers: readonly string[], tier: string, shift: number): string {
  const index = tiers.indexOf(tier);
  if (index === -1 || shift === 0) return tier;
  const target = Math.min(tiers.length - 1, Math.max(0, index + shift));
  return tiers[target] ?? tier;
}

function topologicalOrder(passes: PlannedPass[], workflow: string): PlannedPass[] {
  const done = new Set<string>();
  const order: PlannedPass[] = [];
  while (order.length < passes.length) {
    const ready = passes.find((p) => !done.has(p.id) && p.needs.every((n) => done.has(n)));
    if (!ready) {
      // Validation rejects cycles, so reaching this means definitions bypassed it.
      throw new Error(`workflow ${workflow}: the passes' needs form a cycle`);
    }
    done.add(ready.id);
    order.push(ready);
  }
  return order;
}
