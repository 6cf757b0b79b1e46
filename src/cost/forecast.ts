/**
 * Forecast (SPEC: Forecast): before work starts, the expected cost and duration
 * of a work item from similar past items, so someone can decide whether it is
 * worth it. Similar means: the same workflow and type if there are enough of
 * them, else the same type, else the same workflow; among those, the nearest by
 * size (files, packages, repositories, contracts touched, on a log scale). The
 * figures are nearest-rank percentiles of those items' actual cost and cycle
 * time, with the items used, so the number can be checked.
 */
import type { WorkItemType } from '../core/index.ts';
import type { MicroUsd } from './money.ts';
import type { ComplexitySignals } from './tier-selection.ts';

/** A finished work item, as the forecast learns from it. */
export interface PastItem {
  id: string;
  type: WorkItemType;
  workflow: string;
  signals?: ComplexitySignals;
  costMicros: MicroUsd;
  /** Cycle time, start to merged. */
  durationHours: number;
}

export interface ForecastQuery {
  type: WorkItemType;
  workflow: string;
  signals?: ComplexitySignals;
}

export interface Spread {
  p50: number;
  p80: number;
  p90: number;
  max: number;
}

export type Forecast =
  | {
      status: 'forecast';
      /** Which past items were comparable, in words. */
      basis: string;
      n: number;
      costMicros: Spread;
      durationHours: Spread;
      /** Ids of the items used, nearest first. */
      similar: string[];
    }
  | { status: 'no-history'; reason: string };

export interface ForecastOptions {
  /** How many nearest items to use (default 10). */
  k?: number;
  /** Fewest comparable items for a group to be used (default 3). */
  minItems?: number;
}

function size(s: ComplexitySignals | undefined): number[] {
  return [
    Math.log1p(s?.filesTouched ?? 0),
    Math.log1p(s?.packagesTouched ?? 0),
    Math.log1p(Math.max(0, (s?.reposTouched ?? 1) - 1)),
    Math.log1p(s?.contractsTouched ?? 0),
  ];
}

function distance(a: ComplexitySignals | undefined, b: ComplexitySignals | undefined): number {
  const x = size(a);
  const y = size(b);
  return Math.sqrt(x.reduce((sum, v, i) => sum + (v - (y[i] ?? 0)) ** 2, 0));
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: readonly number[], p: number): number {
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[rank - 1] ?? 0;
}

function spread(values: number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 0.5),
    p80: percentile(sorted, 0.8),
    p90: percentile(sorted, 0.9),
    max: sorted.at(-1) ?? 0,
  };
}

/** Forecasts a work item's cost and cycle time from similar past items. */
export function forecastWorkItem(
  history: readonly PastItem[],
  query: ForecastQuery,
  options: ForecastOptions = {},
): Forecast {
  const k = options.k ?? 10;
  const minItems = options.minItems ?? 3;
  const groups: [string, PastItem[]][] = [
    [
      `${query.type} items of workflow ${query.workflow}`,
      history.filter((h) => h.type === query.type && h.workflow === query.workflow),
    ],
    [`${query.type} items of any workflow`, history.filter((h) => h.type === query.type)],
    [`items of workflow ${query.workflow}`, history.filter((h) => h.workflow === query.workflow)],
  ];
  const chosen = groups.find(([, items]) => items.length >= minItems);
  if (!chosen) {
    return {
      status: 'no-history',
      reason: `fewer than ${minItems} finished ${query.type} items or items of workflow ${query.workflow}`,
    };
  }
  const [basis, items] = chosen;
  const nearest = [...items]
    .map((h) => ({ h, d: distance(h.signals, query.signals) }))
    .sort((a, b) => a.d - b.d || a.h.id.localeCompare(b.h.id))
    .slice(0, k)
    .map((x) => x.h);
  return {
    status: 'forecast',
    basis: `${nearest.length} nearest by size of ${items.length} ${basis}`,
    n: nearest.length,
    costMicros: spread(nearest.map((h) => h.costMicros)),
    durationHours: spread(nearest.map((h) => h.durationHours)),
    similar: nearest.map((h) => h.id),
  };
}
