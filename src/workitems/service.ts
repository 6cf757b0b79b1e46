/**
 * Work items against the ledger: submit (allocate an id, record, plan — in one
 * serialised transaction, so concurrent submits never share an id), list, show.
 */
import { NotFoundError } from '../core/index.ts';
import type { Definitions } from '../definitions/index.ts';
import type { LedgerEvent, LedgerStore } from '../ledger/index.ts';
import { WORK_ITEM_PLANNED, WORK_ITEM_SUBMITTED } from './events.ts';
import { normalizeWorkItemId, planSubmission } from './plan.ts';
import {
  projectWorkItem,
  projectWorkItems,
  type WorkItemStatus,
  type WorkItemView,
} from './projection.ts';
import { parseSubmission, type Submission, type SubmissionInput } from './submission.ts';

export interface SubmitOptions {
  definitions: Definitions;
  /** Who submits: recorded as the events' actor and the default owner. */
  actor: string;
}

/** A submission that was validated and planned against the definitions, ready to record. */
export interface PreparedSubmission {
  submission: Submission;
  options: SubmitOptions;
}

/**
 * Validates and plans a submission without touching the ledger, so a bad
 * request fails before anything (even the ledger file) is created.
 */
export function prepareSubmission(
  input: SubmissionInput,
  options: SubmitOptions,
): PreparedSubmission {
  const submission = parseSubmission(input);
  planSubmission(options.definitions, submission, 1, options.actor);
  return { submission, options };
}

/** Records a prepared submission: allocates its id and appends both events in one transaction. */
export async function recordSubmission(
  prepared: PreparedSubmission,
  ledger: LedgerStore,
): Promise<WorkItemView> {
  const { submission, options } = prepared;
  const events = await ledger.transaction(async (tx) => {
    const number = (await tx.count({ types: [WORK_ITEM_SUBMITTED] })) + 1;
    const { submitted, planned } = planSubmission(
      options.definitions,
      submission,
      number,
      options.actor,
    );
    return tx.append([
      {
        type: WORK_ITEM_SUBMITTED,
        actor: options.actor,
        workItemId: submitted.id,
        data: { ...submitted },
      },
      { type: WORK_ITEM_PLANNED, actor: 'keel', workItemId: submitted.id, data: { ...planned } },
    ]);
  });
  const view = projectWorkItem(events);
  if (!view) throw new Error('submitted events did not project to a work item');
  return view;
}

/** Validates, plans and records a work item; returns its projected view. */
export function submitWorkItem(
  input: SubmissionInput,
  options: SubmitOptions & { ledger: LedgerStore },
): Promise<WorkItemView> {
  return recordSubmission(prepareSubmission(input, options), options.ledger);
}

export interface ListFilter {
  statuses?: readonly WorkItemStatus[];
  types?: readonly string[];
}

/** Every work item, in submission order, optionally filtered. */
export async function listWorkItems(
  ledger: LedgerStore,
  filter: ListFilter = {},
): Promise<WorkItemView[]> {
  const events: LedgerEvent[] = [];
  for await (const event of ledger.iterate()) {
    if (event.workItemId) events.push(event);
  }
  return projectWorkItems(events).filter(
    (item) =>
      (!filter.statuses?.length || filter.statuses.includes(item.status)) &&
      (!filter.types?.length || filter.types.includes(item.type)),
  );
}

/** One work item by id (`WI-3`, `wi-3` or `3`); throws NotFoundError naming what exists. */
export async function getWorkItem(ledger: LedgerStore, idText: string): Promise<WorkItemView> {
  const id = normalizeWorkItemId(idText);
  const view = id ? projectWorkItem(await ledger.read({ workItemId: id })) : undefined;
  if (view) return view;
  const count = await ledger.count({ types: [WORK_ITEM_SUBMITTED] });
  throw new NotFoundError(`no work item \`${idText}\``, {
    hint:
      count === 0
        ? 'nothing has been submitted yet: use `keel submit`'
        : `ids run from WI-1 to WI-${count}; \`keel list\` shows them`,
  });
}
