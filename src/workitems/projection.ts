/**
 * Current state of work items, projected from their ledger events. Pure: the
 * same events always give the same view, so `show` and `list` never disagree
 * with the ledger. Events this version does not know are kept in the timeline.
 */
import type { Priority } from '../core/index.ts';
import {
  type PlannedPassRecord,
  type RecordedEvent,
  WORK_ITEM_PLANNED,
  WORK_ITEM_SUBMITTED,
  type WorkItemPlanned,
  type WorkItemSubmitted,
} from './events.ts';
import {
  applyRunEvent,
  emptyProgress,
  type GateResultView,
  passStateOf,
  type RunProgress,
} from './run-progress.ts';

export const WORK_ITEM_STATUSES = [
  'submitted',
  'planned',
  'running',
  'waiting',
  'done',
  'failed',
  'aborted',
] as const;
export type WorkItemStatus = (typeof WORK_ITEM_STATUSES)[number];

export type PassState =
  | 'pending'
  | 'ready'
  | 'running'
  | 'waiting'
  | 'passed'
  | 'failed'
  | 'skipped';

export interface PassView extends PlannedPassRecord {
  state: PassState;
  attempts: number;
  /** Every gate decision, in order (a rework shows the failed verdict, then the next). */
  gateResults: GateResultView[];
  modelCalls: number;
  tokens: number;
  costUsd: number;
  /** Calls whose model has no price in the catalog (their cost is unknown, not $0). */
  unpricedCalls: number;
  /** Approvals this pass waits for. */
  waitingFor: string[];
}

export interface TimelineEntry {
  seq: number;
  at: string;
  type: string;
  actor: string;
  summary: string;
}

export interface WorkItemView {
  id: string;
  number: number;
  title: string;
  body: string;
  type: string;
  priority: Priority;
  status: WorkItemStatus;
  org: string;
  project: string;
  team: string;
  owner: string;
  labels: string[];
  source: string | null;
  budgetUsd: number | null;
  submittedAt: string;
  updatedAt: string;
  workflow: { name: string; version: number; file: string } | null;
  mode: string | null;
  passes: PassView[];
  /** Why the run ended, once it has. */
  outcomeReason: string | null;
  tokens: number;
  costUsd: number;
  timeline: TimelineEntry[];
}

/** Projects one work item from its events (in ledger order); undefined when it was never submitted. */
export function projectWorkItem(events: readonly RecordedEvent[]): WorkItemView | undefined {
  let view: WorkItemView | undefined;
  let progress = emptyProgress();
  for (const event of events) {
    let runSummary: string | undefined;
    if (event.type === WORK_ITEM_SUBMITTED) {
      view = fromSubmitted(event);
      progress = emptyProgress();
    } else if (!view) {
      continue;
    } else if (event.type === WORK_ITEM_PLANNED) {
      applyPlanned(view, event.data as WorkItemPlanned);
    } else {
      runSummary = applyRunEvent(progress, event);
    }
    if (view) {
      view.updatedAt = event.at;
      view.timeline.push({
        seq: event.seq,
        at: event.at,
        type: event.type,
        actor: event.actor,
        summary: runSummary ?? summarize(event),
      });
    }
  }
  if (view) applyProgress(view, progress);
  return view;
}

/** Pass states, attempts, gate results and costs from the engine's events. */
function applyProgress(view: WorkItemView, progress: RunProgress): void {
  const outcomes = new Map(view.passes.map((p) => [p.id, progress.passes.get(p.id)?.outcome]));
  for (const pass of view.passes) {
    const p = progress.passes.get(pass.id);
    const needsMet = pass.needs.every((n) => {
      const o = outcomes.get(n);
      return o === 'passed' || o === 'skipped';
    });
    pass.state = passStateOf(p, needsMet);
    pass.attempts = p?.attempts ?? 0;
    pass.gateResults = p?.gateResults ?? [];
    pass.modelCalls = p?.modelCalls ?? 0;
    pass.tokens = p?.tokens ?? 0;
    pass.costUsd = p?.costUsd ?? 0;
    pass.unpricedCalls = p?.unpricedCalls ?? 0;
    pass.waitingFor = p?.waitingFor ?? [];
  }
  view.tokens = view.passes.reduce((s, p) => s + p.tokens, 0);
  view.costUsd = view.passes.reduce((s, p) => s + p.costUsd, 0);
  view.outcomeReason = progress.outcomeReason;
  if (progress.outcome) view.status = progress.outcome;
  else if (progress.pendingApprovals.size > 0) view.status = 'waiting';
  else if (progress.started) view.status = 'running';
}

/** Groups events by work item and projects each; items come back in submission order. */
export function projectWorkItems(events: readonly RecordedEvent[]): WorkItemView[] {
  const byItem = new Map<string, RecordedEvent[]>();
  for (const event of events) {
    if (!event.workItemId) continue;
    let list = byItem.get(event.workItemId);
    if (!list) {
      list = [];
      byItem.set(event.workItemId, list);
    }
    list.push(event);
  }
  const views: WorkItemView[] = [];
  for (const list of byItem.values()) {
    const view = projectWorkItem(list);
    if (view) views.push(view);
  }
  return views.sort((a, b) => a.number - b.number);
}

function fromSubmitted(event: RecordedEvent): WorkItemView {
  const d = event.data as WorkItemSubmitted;
  return {
    id: d.id,
    number: d.number,
    title: d.title,
    body: d.body,
    type: d.type,
    priority: d.priority,
    status: 'submitted',
    org: d.org,
    project: d.project,
    team: d.team,
    owner: d.owner,
    labels: [...d.labels],
    source: d.source,
    budgetUsd: d.budgetUsd,
    submittedAt: event.at,
    updatedAt: event.at,
    workflow: null,
    mode: null,
    passes: [],
    outcomeReason: null,
    tokens: 0,
    costUsd: 0,
    timeline: [],
  };
}

function applyPlanned(view: WorkItemView, plan: WorkItemPlanned): void {
  view.status = 'planned';
  view.workflow = { ...plan.workflow };
  view.mode = plan.mode;
  view.passes = plan.passes.map((p) => ({
    ...p,
    state: p.needs.length === 0 ? 'ready' : 'pending',
    attempts: 0,
    gateResults: [],
    modelCalls: 0,
    tokens: 0,
    costUsd: 0,
    unpricedCalls: 0,
    waitingFor: [],
  }));
}

function summarize(event: RecordedEvent): string {
  if (event.type === WORK_ITEM_SUBMITTED) {
    const d = event.data as WorkItemSubmitted;
    return `submitted ${d.type} "${d.title}" (${d.priority})`;
  }
  if (event.type === WORK_ITEM_PLANNED) {
    const d = event.data as WorkItemPlanned;
    return `planned with workflow ${d.workflow.name} v${d.workflow.version} (${d.mode} mode): ${d.passes.map((p) => p.id).join(' → ')}`;
  }
  return event.type;
}
