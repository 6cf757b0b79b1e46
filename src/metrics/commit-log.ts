/**
 * Reads the metadata of every commit the analysis needs (all ancestors of the
 * tip not yet in the cache, merged-in branch commits included) in one streamed
 * `git log -z`, attributing each commit as it arrives so messages are not kept.
 */
import { type Attribution, attributeCommit, type CompiledPatterns } from './attribution.ts';
import { type ChangeRef, findChangeRefs } from './change-refs.ts';
import { gitStream } from './git-process.ts';

/** What the analysis keeps of one commit. */
export interface CommitMeta {
  sha: string;
  parents: string[];
  authorTime: number;
  commitTime: number;
  attribution: Attribution;
  refs: ChangeRef[];
  /** Work items named by `Keel-Work-Item:` trailers (keel's worktree commits). */
  workItems: string[];
}

const WORK_ITEM_TRAILER = /^Keel-Work-Item:[ \t]*(WI-\d+)[ \t]*$/gim;

/** The work-item ids of a message's `Keel-Work-Item:` trailers, upper-cased and deduplicated. */
export function findWorkItems(message: string): string[] {
  const out = new Set<string>();
  for (const m of message.matchAll(WORK_ITEM_TRAILER)) out.add((m[1] as string).toUpperCase());
  return [...out];
}

const FORMAT = ['%H', '%P', '%an', '%ae', '%at', '%cn', '%ce', '%ct', '%B'].join('%x1f');

/** Parses one `-z` record of FORMAT; undefined for an empty record. */
export function parseCommitRecord(
  record: string,
  patterns: CompiledPatterns,
): CommitMeta | undefined {
  const trimmed = record.startsWith('\n') ? record.slice(1) : record;
  if (trimmed === '') return undefined;
  const fields = trimmed.split('\x1f');
  const [sha, parents, an, ae, at, cn, ce, ct] = fields;
  // The message is last and may itself contain the separator.
  const message = fields.slice(8).join('\x1f');
  return {
    sha: sha ?? '',
    parents: parents ? parents.split(' ') : [],
    authorTime: Number(at),
    commitTime: Number(ct),
    attribution: attributeCommit(
      {
        authorName: an ?? '',
        authorEmail: ae ?? '',
        committerName: cn ?? '',
        committerEmail: ce ?? '',
        message,
      },
      patterns,
    ),
    refs: findChangeRefs(message),
    workItems: findWorkItems(message),
  };
}

/** Streams `git log` over `revisions` and returns each commit's metadata, newest first. */
export async function readCommitLog(
  cwd: string,
  revisions: readonly string[],
  patterns: CompiledPatterns,
): Promise<Map<string, CommitMeta>> {
  const commits = new Map<string, CommitMeta>();
  let carry = '';
  const take = (record: string) => {
    const meta = parseCommitRecord(record, patterns);
    if (meta) commits.set(meta.sha, meta);
  };
  await gitStream(
    cwd,
    ['log', '-z', '--no-color', `--format=${FORMAT}`, ...revisions, '--'],
    (chunk) => {
      const parts = (carry + chunk).split('\0');
      carry = parts.pop() ?? '';
      for (const part of parts) take(part);
    },
  );
  take(carry);
  return commits;
}
