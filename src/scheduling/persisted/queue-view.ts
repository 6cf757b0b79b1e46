/**
 * The queue as the ledger records it: attempts running (started, not
 * finished), waits open (`wait.started` without its `wait.ended`) with their
 * reason and how long, and the waits that ended most recently. Pure: the
 * caller reads the events and adds the passes that are ready.
 */
import type { LedgerEvent } from '../../ledger/index.ts';

/** Event types the queue view reads. */
export const QUEUE_EVENT_TYPES = [
  'attempt.started',
  'attempt.finished',
  'wait.started',
  'wait.ended',
  'work_item.completed',
] as const;

export interface RunningEntry {
  workItem: string;
  pass: string;
  attempt: number;
  agent: string;
  runtime: string;
  since: string;
  forMs: number;
}

export interface WaitingEntry {
  workItem: string;
  pass: string | null;
  reason: string;
  detail: string;
  /** The wait's id (approval, budget or scheduler wait). */
  waitId: string | null;
  since: string;
  forMs: number;
}

export interface EndedWaitEntry extends Omit<WaitingEntry, 'forMs'> {
  until: string;
  durationMs: number;
}

export interface ReadyEntry {
  workItem: string;
  pass: string;
  /** What the engine would do: start an attempt or evaluate its gates. */
  action: 'start_attempt' | 'evaluate_gate';
  attempt: number;
}

/** What `keel queue --json` prints. */
export interface QueueView {
  at: string;
  running: RunningEntry[];
  ready: ReadyEntry[];
  waiting: WaitingEntry[];
  /** The most recently ended waits, newest first. */
  recent: EndedWaitEntry[];
  counts: { running: number; ready: number; waiting: number };
}

type Data = Record<string, unknown>;
const str = (d: Data, k: string): string | null =>
  typeof d[k] === 'string' ? (d[k] as string) : null;

function waitKey(item: string, d: Data): string {
  const id =
    str(d, 'waitId') ?? str(d, 'approvalId') ?? `${str(d, 'reason') ?? ''}:${str(d, 'pass') ?? ''}`;
  return `${item} ${id}`;
}

/** Running attempts and open and recent waits from the ledger's events (in seq order). */
export function queueFromEvents(
  events: Iterable<LedgerEvent>,
  now: Date,
  options: { recent?: number } = {},
): Omit<QueueView, 'ready' | 'counts'> {
  const running = new Map<string, RunningEntry>();
  const open = new Map<string, WaitingEntry[]>();
  const ended: EndedWaitEntry[] = [];
  const completed = new Set<string>();
  const nowMs = now.getTime();
  for (const e of events) {
    const item = e.workItemId ?? '';
    const d = e.data as Data;
    switch (e.type) {
      case 'attempt.started':
        running.set(`${item} ${str(d, 'pass')} ${String(d.attempt)}`, {
          workItem: item,
          pass: str(d, 'pass') ?? '',
          attempt: Number(d.attempt),
          agent: str(d, 'agent') ?? '',
          runtime: str(d, 'runtime') ?? '',
          since: e.at,
          forMs: Math.max(0, nowMs - Date.parse(e.at)),
        });
        break;
      case 'attempt.finished':
        running.delete(`${item} ${str(d, 'pass')} ${String(d.attempt)}`);
        break;
      case 'wait.started': {
        const key = waitKey(item, d);
        const list = open.get(key) ?? [];
        list.push({
          workItem: item,
          pass: str(d, 'pass'),
          reason: str(d, 'reason') ?? 'unknown',
          detail: str(d, 'detail') ?? str(d, 'reason') ?? '',
          waitId: str(d, 'waitId') ?? str(d, 'approvalId'),
          since: e.at,
          forMs: Math.max(0, nowMs - Date.parse(e.at)),
        });
        open.set(key, list);
        break;
      }
      case 'wait.ended': {
        const w = open.get(waitKey(item, d))?.shift();
        if (w) {
          const { forMs: _, ...rest } = w;
          ended.push({
            ...rest,
            until: e.at,
            durationMs: Math.max(0, Date.parse(e.at) - Date.parse(w.since)),
          });
        }
        break;
      }
      case 'work_item.completed':
        completed.add(item);
        break;
    }
  }
  // A completed item (or one whose run was abandoned) is not running or waiting any more.
  const live = <T extends { workItem: string }>(x: T) => !completed.has(x.workItem);
  const bySince = <T extends { since: string }>(a: T, b: T) =>
    a.since < b.since ? -1 : a.since > b.since ? 1 : 0;
  return {
    at: now.toISOString(),
    running: [...running.values()].filter(live).sort(bySince),
    waiting: [...open.values()].flat().filter(live).sort(bySince),
    recent: ended.slice(-(options.recent ?? 20)).reverse(),
  };
}
