/**
 * Forecasts from the ledger: finished work items (`work_item.completed` with
 * outcome done) with their type, workflow, labels, size and actual cost and
 * cycle time, and a forecast for a new item that narrows them by size and
 * labels when enough remain. Size is an item's `size-s|size-m|size-l` label.
 */
import {
  type Forecast,
  type ForecastOptions,
  forecastWorkItem,
  type PastItem,
  usdToMicros,
} from '../cost/index.ts';
import type { LedgerEvent, LedgerReader } from '../ledger/index.ts';

export const SIZES = ['S', 'M', 'L'] as const;
export type Size = (typeof SIZES)[number];

export interface FinishedItem extends PastItem {
  labels: string[];
  size: Size | undefined;
}

const TYPES = [
  'work_item.submitted',
  'work_item.planned',
  'model_call.recorded',
  'work_item.completed',
];

/** The size of an item from its label (`size-m` is M), if any. */
export function sizeOf(labels: readonly string[]): Size | undefined {
  for (const l of labels) {
    const m = /^size-([sml])$/i.exec(l);
    if (m) return (m[1] ?? '').toUpperCase() as Size;
  }
  return undefined;
}

/** Finished items from events in seq order (pure). */
export function finishedItemsOf(events: readonly LedgerEvent[]): FinishedItem[] {
  const open = new Map<
    string,
    { type: string; labels: string[]; at: number; workflow: string; micros: number }
  >();
  const done: FinishedItem[] = [];
  for (const e of events) {
    const id = e.workItemId ?? '';
    const d = e.data;
    if (e.type === 'work_item.submitted') {
      const labels = Array.isArray(d.labels) ? d.labels.map(String) : [];
      open.set(id, {
        type: String(d.type ?? ''),
        labels,
        at: Date.parse(e.at),
        workflow: '',
        micros: 0,
      });
    } else if (e.type === 'work_item.planned') {
      const item = open.get(id);
      const wf = d.workflow as { name?: unknown } | undefined;
      if (item) item.workflow = String(wf?.name ?? '');
    } else if (e.type === 'model_call.recorded') {
      const item = open.get(id);
      if (item && typeof d.costUsd === 'number') item.micros += usdToMicros(d.costUsd);
    } else if (e.type === 'work_item.completed') {
      const item = open.get(id);
      if (!item || d.outcome !== 'done') continue;
      done.push({
        id,
        type: item.type as PastItem['type'],
        workflow: item.workflow,
        labels: item.labels,
        size: sizeOf(item.labels),
        costMicros: item.micros,
        durationHours: (Date.parse(e.at) - item.at) / 3_600_000,
      });
    }
  }
  return done;
}

/** Reads the finished items of a ledger. */
export async function readFinishedItems(ledger: LedgerReader): Promise<FinishedItem[]> {
  return finishedItemsOf(await ledger.read({ types: TYPES }));
}

export interface ItemForecastQuery {
  type: string;
  workflow: string;
  labels?: readonly string[];
  size?: Size;
}

/** Forecasts an item: narrowed to its size, then to its labels, wherever enough items remain. */
export function forecastItem(
  history: readonly FinishedItem[],
  query: ItemForecastQuery,
  options: ForecastOptions = {},
): Forecast & { narrowedBy: string[] } {
  const minItems = options.minItems ?? 3;
  let pool = [...history];
  const narrowedBy: string[] = [];
  const narrow = (keep: (h: FinishedItem) => boolean, what: string) => {
    const kept = pool.filter(keep);
    const comparable = kept.filter((h) => h.type === query.type || h.workflow === query.workflow);
    if (comparable.length >= minItems) {
      pool = kept;
      narrowedBy.push(what);
    }
  };
  if (query.size) narrow((h) => h.size === query.size, `size ${query.size}`);
  const labels = (query.labels ?? []).filter((l) => sizeOf([l]) === undefined);
  if (labels.length > 0)
    narrow((h) => labels.every((l) => h.labels.includes(l)), `labels ${labels.join(', ')}`);
  const f = forecastWorkItem(
    pool,
    { type: query.type as PastItem['type'], workflow: query.workflow },
    options,
  );
  return { ...f, narrowedBy };
}
