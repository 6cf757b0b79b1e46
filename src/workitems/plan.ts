/**
 * Turns a validated submission into the two events that record it: what was
 * asked (`work_item.submitted`) and how keel will run it (`work_item.planned`).
 * Pure: the id number and defaults come in, events go out.
 */
import { InvalidInputError, UsageError } from '../core/index.ts';
import {
  type Definitions,
  type Gate,
  type PlannedPass,
  planPasses,
  selectWorkflow,
} from '../definitions/index.ts';
import type { PlannedPassRecord, WorkItemPlanned, WorkItemSubmitted } from './events.ts';
import type { Submission } from './submission.ts';

/** Formats the id of the n-th work item of a ledger. */
export function workItemId(n: number): string {
  return `WI-${n}`;
}

/** Accepts `WI-12`, `wi-12` or `12` and returns the canonical id, or undefined. */
export function normalizeWorkItemId(text: string): string | undefined {
  const m = /^(?:wi-)?(\d+)$/i.exec(text.trim());
  return m ? workItemId(Number(m[1])) : undefined;
}

export interface PlannedSubmission {
  submitted: WorkItemSubmitted;
  planned: WorkItemPlanned;
}

/** Builds the submitted and planned records, or throws naming the workflows that exist. */
export function planSubmission(
  definitions: Definitions,
  submission: Submission,
  number: number,
  owner: string,
): PlannedSubmission {
  const selection = selectWorkflow(definitions, {
    type: submission.type,
    labels: submission.labels,
  });
  if (!selection.matched) {
    throw new InvalidInputError(selection.reason, {
      hint: 'pass a --type (or --label) that a workflow selects, or add a workflow under .keel/workflows/',
    });
  }
  const workflow = selection.workflow;
  const mode = submission.mode ?? workflow.defaultMode;
  if (!(mode in workflow.modes)) {
    throw new UsageError(`workflow \`${workflow.name}\` has no mode \`${mode}\``, {
      hint: `use --mode with one of: ${Object.keys(workflow.modes).join(', ')}`,
    });
  }
  const { config } = definitions;
  const id = workItemId(number);
  return {
    submitted: {
      version: 1,
      id,
      number,
      title: submission.title,
      body: submission.body,
      type: submission.type,
      priority: submission.priority,
      org: config.org,
      project: submission.project ?? config.project,
      team: submission.team ?? config.team,
      owner: submission.owner ?? owner,
      labels: submission.labels,
      source: submission.source ?? null,
      budgetUsd: submission.budgetUsd ?? null,
    },
    planned: {
      version: 1,
      workflow: { name: workflow.name, version: workflow.version, file: workflow.file },
      mode,
      reason: selection.reason,
      passes: planPasses(workflow, mode).map(toRecord),
    },
  };
}

function toRecord(p: PlannedPass): PlannedPassRecord {
  return {
    id: p.id,
    agent: p.agent.name,
    needs: p.needs,
    inputs: p.inputs,
    outputs: p.outputs,
    actions: p.actions,
    tier: p.tier,
    gates: [
      ...p.checkpoints.map((c) => ({ id: `checkpoint:${c.id}`, kind: 'checkpoint' })),
      ...p.gates.map((g: Gate) => ({ id: g.id, kind: g.check.kind })),
    ],
  };
}
