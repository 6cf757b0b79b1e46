/**
 * Finds the commits a message says it reverts or fixes: git's own
 * `This reverts commit <sha>.`, the kernel's `Fixes: <sha> ("subject")`, and
 * prose such as "hotfix for <sha>" or "fix of <sha>". Only hexadecimal ids of
 * 7–40 characters count, and a caller keeps only those that resolve to a landed
 * commit, so issue numbers ("fixes #12") never match.
 */

export type RefKind = 'revert' | 'fix';

export interface ChangeRef {
  kind: RefKind;
  /** Lower-case, possibly abbreviated commit id as written. */
  sha: string;
}

const PATTERNS: readonly { kind: RefKind; regex: RegExp }[] = [
  { kind: 'revert', regex: /\bthis reverts commit ([0-9a-f]{7,40})\b/gi },
  { kind: 'fix', regex: /^[ \t]*fixes:[ \t]*(?:commit[ \t]+)?([0-9a-f]{7,40})\b/gim },
  {
    kind: 'fix',
    regex:
      /\b(?:hot-?fix|fix)(?:es|ed)?[ \t]+(?:for|of|to)[ \t]+(?:commit[ \t]+)?([0-9a-f]{7,40})\b/gi,
  },
];

/** Every revert/fix reference in a message, deduplicated, in order of appearance. */
export function findChangeRefs(message: string): ChangeRef[] {
  const found: (ChangeRef & { at: number })[] = [];
  const seen = new Set<string>();
  for (const { kind, regex } of PATTERNS) {
    for (const m of message.matchAll(regex)) {
      const sha = (m[1] ?? '').toLowerCase();
      const key = `${kind}:${sha}`;
      if (seen.has(key)) continue;
      seen.add(key);
      found.push({ kind, sha, at: m.index ?? 0 });
    }
  }
  return found.sort((a, b) => a.at - b.at).map(({ kind, sha }) => ({ kind, sha }));
}
