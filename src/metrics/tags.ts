/**
 * Release tags on the main line: survival "at the latest tag" uses the newest tag
 * that points at a first-parent commit of the analysed branch (tags on commits
 * only reachable through a merged branch are not releases of the main line).
 */
import { gitText } from './git-process.ts';
import type { HistoryState } from './history-state.ts';

export interface TagRef {
  name: string;
  /** The commit the tag points at (annotated tags peeled). */
  sha: string;
}

/** Every tag of the repository with its commit. */
export async function readTags(root: string): Promise<TagRef[]> {
  const out = await gitText(root, [
    'for-each-ref',
    '--format=%(refname:short)%00%(objectname)%00%(*objectname)',
    'refs/tags',
  ]);
  const tags: TagRef[] = [];
  for (const line of out.split('\n')) {
    const [name, object, peeled] = line.split('\0');
    if (name && object) tags.push({ name, sha: peeled || object });
  }
  return tags;
}

/**
 * The tag on the latest main-line commit among the cached changes and the new
 * `chain`; `position` is that commit's change index. Ties go to the last name.
 */
export function latestTag(
  tags: readonly TagRef[],
  state: HistoryState,
  chain: readonly string[],
): (TagRef & { position: number }) | undefined {
  const base = state.changes.length;
  const positions = new Map<string, number>();
  chain.forEach((sha, i) => {
    positions.set(sha, base + i);
  });
  let best: (TagRef & { position: number }) | undefined;
  for (const tag of [...tags].sort((a, b) => a.name.localeCompare(b.name))) {
    let position = positions.get(tag.sha);
    if (position === undefined) {
      const landed = state.landedBy.get(tag.sha);
      if (landed !== undefined && state.changes[landed]?.sha === tag.sha) position = landed;
    }
    if (position !== undefined && (!best || position >= best.position)) best = { ...tag, position };
  }
  return best;
}
