/**
 * Pure helpers deciding what a change lands: the commits a merge brings into the
 * main line, and which landed change an abbreviated revert/fix reference means.
 */
import type { CommitMeta } from './commit-log.ts';

/**
 * The commits merge `merge` brings in: ancestors of its other parents that were
 * not landed before. Processing merges in main-line order with `landed` holding
 * every commit landed so far makes this exactly `git log ^P1 P2…`.
 */
export function broughtInCommits(
  merge: CommitMeta,
  commits: ReadonlyMap<string, CommitMeta>,
  landed: ReadonlyMap<string, number>,
): CommitMeta[] {
  const out: CommitMeta[] = [];
  const seen = new Set<string>();
  const stack = merge.parents.slice(1);
  while (stack.length > 0) {
    const sha = stack.pop() as string;
    if (seen.has(sha) || landed.has(sha)) continue;
    seen.add(sha);
    // Commits missing from this run's log are ancestors of the cached tip: landed already.
    const meta = commits.get(sha);
    if (!meta) continue;
    out.push(meta);
    for (const parent of meta.parents) stack.push(parent);
  }
  return out;
}

/** Resolves abbreviated ids against a sorted list of full ids; undefined when unknown or ambiguous. */
export function resolvePrefix(sortedShas: readonly string[], prefix: string): string | undefined {
  let lo = 0;
  let hi = sortedShas.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sortedShas[mid] as string) < prefix) lo = mid + 1;
    else hi = mid;
  }
  const first = sortedShas[lo];
  if (first === undefined || !first.startsWith(prefix)) return undefined;
  const second = sortedShas[lo + 1];
  if (second?.startsWith(prefix)) return undefined;
  return first;
}
