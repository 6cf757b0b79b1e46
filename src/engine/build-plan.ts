/**
 * The plan the engine runs for a work item: the workflow's passes as planned at
 * submission (mode, tiers, order), joined with the resolved definitions the
 * runtimes and gates need. A workflow whose passes changed since submission is
 * refused rather than run half-old, half-new.
 */
import { InvalidInputError } from '../core/index.ts';
import type { Check, Definitions, PlannedPass } from '../definitions/index.ts';
import { planPasses } from '../definitions/index.ts';
import type { WorkItemPlanned, WorkItemSubmitted } from '../workitems/index.ts';
import type { GatePlan, RunPlan } from './decide.ts';

export interface ItemPlan {
  item: WorkItemSubmitted;
  planned: WorkItemPlanned;
  plan: RunPlan;
  /** The resolved passes, by id. */
  passes: Map<string, PlannedPass>;
}

/** Joins a submitted item's recorded plan with the current definitions. */
export function buildItemPlan(
  definitions: Definitions,
  item: WorkItemSubmitted,
  planned: WorkItemPlanned,
): ItemPlan {
  const workflow = definitions.workflows.find((w) => w.name === planned.workflow.name);
  if (!workflow) {
    throw new InvalidInputError(
      `${item.id} runs workflow \`${planned.workflow.name}\`, which no longer exists under .keel/workflows/`,
      { hint: 'restore the workflow file, or submit the work again under another workflow' },
    );
  }
  const resolved = new Map(planPasses(workflow, planned.mode).map((p) => [p.id, p]));
  const missing = planned.passes.filter((p) => !resolved.has(p.id)).map((p) => p.id);
  if (missing.length > 0) {
    throw new InvalidInputError(
      `${item.id} was planned with passes ${missing.join(', ')} that workflow \`${workflow.name}\` no longer has`,
      { hint: `restore them in ${workflow.file}, or submit the work again` },
    );
  }
  const roles = Object.fromEntries(
    Object.values(definitions.config.roles).map((r) => [
      r.name,
      { name: r.name, members: r.members },
    ]),
  );
  const plan: RunPlan = {
    itemId: item.id,
    tiers: [...definitions.config.tiers],
    roles,
    passes: planned.passes.map((record) => {
      const p = resolved.get(record.id) as PlannedPass;
      return {
        id: p.id,
        agent: p.agent.name,
        runtime: p.agent.runtime.kind,
        needs: record.needs,
        tier: record.tier ?? p.tier,
        checkpoints: p.checkpoints.map((c) => ({
          id: c.id,
          role: { name: c.approver.name, members: [...c.approver.members] },
        })),
        gates: p.gates.map(
          (g): GatePlan => ({
            id: g.id,
            kind: g.check.kind,
            human: humanOf(g.check),
            onFail: g.onFail,
          }),
        ),
      };
    }),
  };
  return { item, planned, plan, passes: resolved };
}

/** The role of the (first) human check in a gate, alone or inside all_of/any_of. */
function humanOf(check: Check): { name: string; members: string[] } | undefined {
  if (check.kind === 'human') return { name: check.role.name, members: [...check.role.members] };
  if (check.kind === 'all_of' || check.kind === 'any_of') {
    for (const m of check.members) {
      const h = humanOf(m);
      if (h) return h;
    }
  }
  return undefined;
}
