/**
 * The one adapter between the ledger's event payloads and the ledger figures:
 * every field the figures use is read here, tolerating missing and extra
 * fields, so a change in the engine's event shapes is a one-file fix. Events
 * in, one plain `ItemFacts` record per work item out.
 */
import type { LedgerStore } from '../../ledger/index.ts';

/** Why a work item waited (wait.started `reason`). */
export const WAIT_REASONS = ['gate', 'human', 'resource', 'budget', 'pool'] as const;
export type WaitReason = (typeof WAIT_REASONS)[number];

/** The part of a ledger event the adapter reads. */
export interface RawEvent {
  type: string;
  at: string;
  actor: string;
  workItemId: string | null;
  data: unknown;
}

/** One model call (model_call.recorded). Times are seconds since the epoch. */
export interface CallFact {
  at: number;
  /** The agent that made the call: the event's actor, else the attempt's agent. */
  agent: string | null;
  generationId: string | null;
  pass: string | null;
  purpose: string;
  provider: string;
  model: string;
  tokens: number;
  /** Null when the call was not priced. */
  costUsd: number | null;
  /** A record reusing an earlier answer spent nothing new. */
  reused: boolean;
}

export interface AttemptFact {
  pass: string;
  attempt: number;
  generationId: string | null;
  agent: string | null;
  startedAt: number;
  outcome: string | null;
  commit: string | null;
}

export interface GateFact {
  pass: string;
  attempt: number;
  gate: string;
  passed: boolean;
}

export interface WaitFact {
  reason: WaitReason;
  start: number;
  /** Null while the wait is open. */
  end: number | null;
}

/** Everything the figures need about one work item. */
export interface ItemFacts {
  id: string;
  title: string;
  type: string;
  team: string;
  project: string;
  org: string;
  submittedAt: number;
  completedAt: number | null;
  outcome: 'done' | 'failed' | 'aborted' | null;
  mergedAt: number | null;
  mergedCommit: string | null;
  attempts: AttemptFact[];
  calls: CallFact[];
  gates: GateFact[];
  waits: WaitFact[];
  /** True when an attempt or artifact recorded a commit, or the item merged. */
  producedCode: boolean;
}

type Data = Record<string, unknown>;

const str = (d: Data, k: string): string | null =>
  typeof d[k] === 'string' ? (d[k] as string) : null;
const num = (d: Data, k: string): number | null =>
  typeof d[k] === 'number' && Number.isFinite(d[k]) ? (d[k] as number) : null;
const seconds = (iso: string): number | null => {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : ms / 1000;
};

function tokensOf(usage: unknown): number {
  if (typeof usage !== 'object' || usage === null) return 0;
  const u = usage as Data;
  // Same total as core's totalTokens: prompt side including cache, plus output.
  return ['inputTokens', 'outputTokens', 'cacheReadTokens', 'cacheWriteTokens'].reduce(
    (sum, k) => sum + (num(u, k) ?? 0),
    0,
  );
}

function waitKey(d: Data): string {
  return (
    str(d, 'approvalId') ?? str(d, 'waitId') ?? `${str(d, 'reason') ?? ''}:${str(d, 'pass') ?? ''}`
  );
}

interface Pending {
  item: ItemFacts;
  openWaits: Map<string, WaitFact[]>;
}

/** Folds events (in ledger order) into one record per submitted work item, by id. */
export function collectItems(events: Iterable<RawEvent>): Map<string, ItemFacts> {
  const items = new Map<string, Pending>();
  // Events before their item's submission (or of unknown items) cannot be placed and are skipped.
  for (const e of events) {
    const id = e.workItemId;
    if (id === null) continue;
    const at = seconds(e.at);
    if (at === null) continue;
    const d: Data = typeof e.data === 'object' && e.data !== null ? (e.data as Data) : {};
    if (e.type === 'work_item.submitted') {
      if (!items.has(id))
        items.set(id, {
          item: {
            id,
            title: str(d, 'title') ?? '',
            type: str(d, 'type') ?? 'unknown',
            team: str(d, 'team') ?? 'unknown',
            project: str(d, 'project') ?? 'unknown',
            org: str(d, 'org') ?? 'unknown',
            submittedAt: at,
            completedAt: null,
            outcome: null,
            mergedAt: null,
            mergedCommit: null,
            attempts: [],
            calls: [],
            gates: [],
            waits: [],
            producedCode: false,
          },
          openWaits: new Map(),
        });
      continue;
    }
    const pending = items.get(id);
    if (!pending) continue;
    apply(pending, e, d, at);
  }
  const out = new Map<string, ItemFacts>();
  for (const [id, { item }] of items) out.set(id, item);
  return out;
}

function apply(pending: Pending, e: RawEvent, d: Data, at: number): void {
  const { item } = pending;
  switch (e.type) {
    case 'attempt.started':
      item.attempts.push({
        pass: str(d, 'pass') ?? '',
        attempt: num(d, 'attempt') ?? item.attempts.length + 1,
        generationId: str(d, 'generationId'),
        agent: str(d, 'agent'),
        startedAt: at,
        outcome: null,
        commit: null,
      });
      return;
    case 'attempt.finished': {
      const a = item.attempts.find(
        (x) => x.pass === str(d, 'pass') && x.attempt === num(d, 'attempt'),
      );
      const commit = str(d, 'commit');
      if (a) {
        a.outcome = str(d, 'outcome');
        a.commit = commit;
      }
      if (commit) item.producedCode = true;
      return;
    }
    case 'artifact.written':
      if (str(d, 'commit')) item.producedCode = true;
      return;
    case 'model_call.recorded': {
      const generationId = str(d, 'generationId');
      const attempt = item.attempts.find((a) => generationId && a.generationId === generationId);
      const priced = d.priced !== false && num(d, 'costUsd') !== null;
      item.calls.push({
        at,
        agent: e.actor && e.actor !== 'keel' ? e.actor : (attempt?.agent ?? null),
        generationId,
        pass: str(d, 'pass'),
        purpose: str(d, 'purpose') ?? 'pass',
        provider: str(d, 'provider') ?? 'unknown',
        model: str(d, 'model') ?? 'unknown',
        tokens: tokensOf(d.usage),
        costUsd: priced ? (num(d, 'costUsd') as number) : null,
        reused: str(d, 'reusedFrom') !== null,
      });
      return;
    }
    case 'gate.decided':
      item.gates.push({
        pass: str(d, 'pass') ?? '',
        attempt: num(d, 'attempt') ?? 0,
        gate: str(d, 'gate') ?? '',
        passed: str(d, 'verdict') === 'passed',
      });
      return;
    case 'wait.started': {
      const reason = str(d, 'reason');
      if (!WAIT_REASONS.includes(reason as WaitReason)) return;
      const wait: WaitFact = { reason: reason as WaitReason, start: at, end: null };
      item.waits.push(wait);
      const key = waitKey(d);
      const list = pending.openWaits.get(key) ?? [];
      list.push(wait);
      pending.openWaits.set(key, list);
      return;
    }
    case 'wait.ended': {
      // Oldest open wait with the same key (approval id, wait id, or reason and pass).
      const wait = pending.openWaits.get(waitKey(d))?.shift();
      if (wait) wait.end = Math.max(wait.start, at);
      return;
    }
    case 'work_item.completed': {
      const outcome = str(d, 'outcome');
      item.completedAt = at;
      item.outcome =
        outcome === 'done' || outcome === 'failed' || outcome === 'aborted' ? outcome : 'failed';
      return;
    }
    case 'work_item.merged':
      item.mergedAt = at;
      item.mergedCommit = str(d, 'commit');
      item.producedCode = true;
      return;
  }
}

/** The event types the figures read (everything else is skipped by the query). */
export const READ_TYPES = [
  'work_item.submitted',
  'attempt.started',
  'attempt.finished',
  'artifact.written',
  'model_call.recorded',
  'gate.decided',
  'wait.started',
  'wait.ended',
  'work_item.completed',
  'work_item.merged',
] as const;

/** Reads the events the figures use from a ledger, a page at a time, in seq order. */
export async function readLedgerEvents(store: LedgerStore): Promise<RawEvent[]> {
  const events: RawEvent[] = [];
  for await (const e of store.iterate({ types: READ_TYPES })) events.push(e);
  return events;
}
