/**
 * Which workflow takes a work item: the workflows whose `selects` match its
 * type or one of its labels, the highest `priority` first. Pure; the reason is
 * written for people (CLI output, the ledger's record of the decision).
 */
import { suggestion } from './did-you-mean.ts';
import type { Definitions, Workflow } from './types.ts';

export interface WorkItemSelector {
  type: string;
  labels?: readonly string[];
  /** A workflow named explicitly (e.g. `keel submit --workflow`), which bypasses `selects`. */
  workflow?: string;
}

export interface WorkflowSummary {
  name: string;
  types: string[];
  labels: string[];
  priority: number;
}

export type WorkflowSelection =
  | { matched: true; workflow: Workflow; reason: string; alsoMatched: string[] }
  | { matched: false; workflow: undefined; reason: string; available: WorkflowSummary[] };

interface Candidate {
  workflow: Workflow;
  by: string;
  byLabel: boolean;
}

/** Chooses the workflow for a work item of `type` with `labels`, or explains why none fits. */
export function selectWorkflow(
  definitions: Pick<Definitions, 'workflows'>,
  item: WorkItemSelector,
): WorkflowSelection {
  if (item.workflow !== undefined) return selectByName(definitions, item.workflow);
  const labels = item.labels ?? [];
  const candidates: Candidate[] = [];
  for (const workflow of definitions.workflows) {
    const label = workflow.selects.labels.find((l) => labels.includes(l));
    if (label !== undefined) candidates.push({ workflow, by: `label \`${label}\``, byLabel: true });
    else if ((workflow.selects.types as string[]).includes(item.type)) {
      candidates.push({ workflow, by: `type \`${item.type}\``, byLabel: false });
    }
  }
  // Higher priority wins; at equal priority an explicit label is more specific than the type.
  candidates.sort(
    (a, b) =>
      b.workflow.selects.priority - a.workflow.selects.priority ||
      Number(b.byLabel) - Number(a.byLabel) ||
      a.workflow.name.localeCompare(b.workflow.name),
  );
  const [best, ...others] = candidates;
  if (best) {
    const also = others.map((c) => `${c.workflow.name} (priority ${c.workflow.selects.priority})`);
    return {
      matched: true,
      workflow: best.workflow,
      reason:
        `workflow \`${best.workflow.name}\` selects ${best.by} (priority ${best.workflow.selects.priority})` +
        (also.length > 0 ? `; also matched: ${also.join(', ')}` : ''),
      alsoMatched: others.map((c) => c.workflow.name),
    };
  }
  const available = summaries(definitions);
  const asked = `type \`${item.type}\`${labels.length > 0 ? ` or labels ${labels.map((l) => `\`${l}\``).join(', ')}` : ''}`;
  const listing =
    available.length === 0
      ? 'no workflows are defined in .keel/workflows/'
      : `workflows: ${available
          .map(
            (w) =>
              `${w.name} (types: ${w.types.join(', ') || '—'}; labels: ${w.labels.join(', ') || '—'})`,
          )
          .join('; ')}`;
  return {
    matched: false,
    workflow: undefined,
    reason: `no workflow selects ${asked}; ${listing}`,
    available,
  };
}

function summaries(definitions: Pick<Definitions, 'workflows'>): WorkflowSummary[] {
  return definitions.workflows.map((w) => ({
    name: w.name,
    types: [...w.selects.types],
    labels: [...w.selects.labels],
    priority: w.selects.priority,
  }));
}

function selectByName(
  definitions: Pick<Definitions, 'workflows'>,
  name: string,
): WorkflowSelection {
  const workflow = definitions.workflows.find((w) => w.name === name);
  if (workflow) {
    return {
      matched: true,
      workflow,
      reason: `workflow \`${name}\` was named explicitly`,
      alsoMatched: [],
    };
  }
  const names = definitions.workflows.map((w) => w.name);
  return {
    matched: false,
    workflow: undefined,
    reason: `no workflow is named \`${name}\`: ${suggestion(name, names, 'workflow')}`,
    available: summaries(definitions),
  };
}
