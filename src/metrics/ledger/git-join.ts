/**
 * Joins work items with the git analysis: which main-line changes landed an
 * item (its `Keel-Work-Item:` trailers, or the commit `work_item.merged`
 * names), and whether any of their landed lines were rewritten within 7 days.
 */
import type { ChangeRecord } from '../history-state.ts';
import { DAYS_7, type OriginCounters } from '../line-tracker.ts';
import type { ReworkStatus } from './item-figures.ts';

/** The part of the git analysis the join reads. */
export interface GitJoinInput {
  changes: readonly ChangeRecord[];
  counters: OriginCounters;
  /** Landed commit (first-parent or brought in) → change index. */
  landedBy: ReadonlyMap<string, number>;
  /** Landing time of the analysed head (seconds). */
  headTime: number;
}

/** The rework status of an item given its merge commit (if recorded). */
export function reworkStatus(
  git: GitJoinInput | null,
  itemId: string,
  mergedCommit: string | null,
  index: ReadonlyMap<string, number[]>,
): ReworkStatus {
  if (!git) return 'unknown';
  const changes = new Set(index.get(itemId) ?? []);
  if (mergedCommit) {
    const landed = git.landedBy.get(mergedCommit);
    if (landed !== undefined) changes.add(landed);
  }
  if (changes.size === 0) return 'unknown';
  let mature = true;
  for (const c of changes) {
    const churn = (git.counters.churn7d[c * 2] ?? 0) + (git.counters.churn7d[c * 2 + 1] ?? 0);
    if (churn > 0) return 'reworked';
    if ((git.changes[c] as ChangeRecord).landedAt > git.headTime - DAYS_7) mature = false;
  }
  return mature ? 'clean' : 'pending';
}

/** Work item id → indexes of the main-line changes whose trailers name it. */
export function workItemIndex(changes: readonly ChangeRecord[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  changes.forEach((c, i) => {
    for (const id of c.workItems ?? []) {
      const list = out.get(id);
      if (list) list.push(i);
      else out.set(id, [i]);
    }
  });
  return out;
}

/**
 * When the item's commits landed on the main line (by trailer), the latest
 * landing time, for items whose ledger records no work_item.merged; else null.
 */
export function landedAt(
  git: GitJoinInput | null,
  itemId: string,
  index: ReadonlyMap<string, number[]>,
): number | null {
  if (!git) return null;
  const changes = index.get(itemId) ?? [];
  if (changes.length === 0) return null;
  return Math.max(...changes.map((c) => (git.changes[c] as ChangeRecord).landedAt));
}
