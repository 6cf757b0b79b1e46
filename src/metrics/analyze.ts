/**
 * The analysis of a branch's main line: one streamed `git log` for commit
 * metadata, one for notes, and one streamed `git log --first-parent -p` whose
 * hunks drive the line tracker — never a git process per commit or a blame. A
 * cached state is extended with only the commits that are new since it was made.
 */
import { existsSync, realpathSync } from 'node:fs';
import { InvalidInputError, NotFoundError } from '../core/index.ts';
import { attributeFromNote, combineAttributions, compilePatterns } from './attribution.ts';
import { type AttributionPatterns, DEFAULT_PATTERNS } from './attribution-patterns.ts';
import type { ChangeRef } from './change-refs.ts';
import { type CommitMeta, readCommitLog } from './commit-log.ts';
import { noteCoversLine } from './git-ai-note.ts';
import { GitError, gitStream, gitText } from './git-process.ts';
import { type ChangeRecord, emptyHistory, type HistoryState } from './history-state.ts';
import { broughtInCommits, resolvePrefix } from './landing.ts';
import { listNotes, readAuthorshipNotes } from './notes-reader.ts';
import { PatchParser } from './patch-parser.ts';
import {
  type CacheKey,
  cacheDirectory,
  cacheFile,
  hashPatterns,
  loadCache,
  saveCache,
} from './report-cache.ts';
import { latestTag, readTags } from './tags.ts';

export interface AnalyzeOptions {
  /** Any directory inside the repository. */
  repo: string;
  /** Branch (or any revision) whose first-parent line is the main line; default main, master, HEAD. */
  branch?: string;
  /** Analyse history as of this time (seconds): up to the last main-line commit landed by then. */
  until?: number;
  patterns?: AttributionPatterns;
  /** Read and write the cache (default true). */
  cache?: boolean;
  env?: NodeJS.ProcessEnv;
  /** Called while streaming with the commits processed so far and the total to process. */
  onProgress?: (done: number, total: number) => void;
}

export type CacheStatus = 'disabled' | 'miss' | 'hit' | 'invalidated';

/** How much work this run did: the counters tests and users can check. */
export interface AnalysisStats {
  /** Main-line commits streamed and applied in this run. */
  commitsProcessed: number;
  /** Changes taken from the cache instead of re-read. */
  changesFromCache: number;
  cache: CacheStatus;
  cacheFile: string | null;
}

export interface Analysis {
  repoRoot: string;
  branch: string;
  head: { sha: string; time: number };
  state: HistoryState;
  stats: AnalysisStats;
}

/** Analyses the main line of a repository's branch (extending the cached state when possible). */
export async function analyzeRepository(options: AnalyzeOptions): Promise<Analysis> {
  const repoRoot = await resolveRepoRoot(options.repo);
  const { branch, tip } = await resolveBranch(repoRoot, options.branch);
  const patterns = options.patterns ?? DEFAULT_PATTERNS;
  const useCache = options.cache !== false;
  const key: CacheKey = {
    repoRoot,
    branch,
    patternsHash: hashPatterns(patterns),
  };
  const notes = await listNotes(repoRoot);
  const file = useCache
    ? cacheFile(cacheDirectory(repoRoot, options.env ?? process.env), repoRoot, branch)
    : null;
  let cached = file ? loadCache(file, key) : undefined;
  let status: CacheStatus = !file ? 'disabled' : cached ? 'hit' : 'miss';
  if (cached && !(await usable(repoRoot, cached, tip, options.until, notes))) {
    cached = undefined;
    status = 'invalidated';
  }
  const fromCache = cached?.changes.length ?? 0;
  let run = await extend(repoRoot, cached ?? emptyHistory(), tip, options, patterns, notes);
  if (run === 'rebuild') {
    status = 'invalidated';
    run = await extend(repoRoot, emptyHistory(), tip, options, patterns, notes);
  }
  if (run === 'rebuild')
    throw new GitError(`the first-parent history of ${branch} could not be read consistently`, '', {
      hint: 'run again; if it persists, check the repository with `git fsck`',
    });
  // A state cut short by --until is not worth keeping over a fuller one.
  const unchanged = status === 'hit' && run.processed === 0;
  if (file && run.state.tip?.sha === tip && !unchanged) saveCache(file, key, run.state);
  const head = run.state.tip;
  if (!head)
    throw new InvalidInputError(`branch ${branch} has no commits in the analysed period`, {
      hint: 'move --until later, or pick another --branch',
    });
  return {
    repoRoot,
    branch,
    head,
    state: run.state,
    stats: {
      commitsProcessed: run.processed,
      changesFromCache: status === 'hit' ? fromCache : 0,
      cache: status,
      cacheFile: file,
    },
  };
}

async function resolveRepoRoot(dir: string): Promise<string> {
  if (!existsSync(dir))
    throw new NotFoundError(`${dir} does not exist`, {
      hint: 'pass --repo an existing folder inside a git repository',
    });
  const out = await gitText(dir, ['rev-parse', '--show-toplevel'], true);
  if (!out?.trim())
    throw new NotFoundError(`${dir} is not inside a git repository`, {
      hint: 'run keel report in a git repository, or pass --repo PATH',
    });
  return realpathSync(out.trim());
}

async function resolveBranch(
  root: string,
  branch: string | undefined,
): Promise<{ branch: string; tip: string }> {
  const candidates = branch === undefined ? ['main', 'master', 'HEAD'] : [branch];
  for (const name of candidates) {
    const sha = await gitText(
      root,
      ['rev-parse', '--verify', '--quiet', '--end-of-options', `${name}^{commit}`],
      true,
    );
    if (sha?.trim()) return { branch: name, tip: sha.trim() };
  }
  if (branch === undefined)
    throw new InvalidInputError(`the repository at ${root} has no commits`, {
      hint: 'commit something first, or point --repo at another repository',
    });
  throw new NotFoundError(`branch ${branch} does not exist in ${root}`, {
    hint: 'pass --branch with an existing branch or revision (see `git branch -a`)',
  });
}

/**
 * A cached state is usable when its tip is an ancestor of the tip, not past
 * --until, and no git-ai note of a cached commit was added, changed or removed.
 */
async function usable(
  root: string,
  cached: HistoryState,
  tip: string,
  until: number | undefined,
  notes: ReadonlyMap<string, string>,
): Promise<boolean> {
  if (!cached.tip) return false;
  if (until !== undefined && cached.tip.time > until) return false;
  for (const [commit, blob] of cached.notes) if (notes.get(commit) !== blob) return false;
  for (const commit of notes.keys())
    if (cached.landedBy.has(commit) && !cached.notes.has(commit)) return false;
  if (cached.tip.sha === tip) return true;
  const out = await gitText(root, ['merge-base', '--is-ancestor', cached.tip.sha, tip], true);
  return out !== undefined;
}

type ExtendResult = { state: HistoryState; processed: number } | 'rebuild';

async function extend(
  root: string,
  state: HistoryState,
  tip: string,
  options: AnalyzeOptions,
  patterns: AttributionPatterns,
  allNotes: ReadonlyMap<string, string>,
): Promise<ExtendResult> {
  const compiled = compilePatterns(patterns);
  const since = state.tip ? [`^${state.tip.sha}`] : [];
  const [metas, tags] = await Promise.all([
    readCommitLog(root, [tip, ...since], compiled),
    readTags(root),
  ]);
  let chain = mainLine(metas, tip);
  // The new first-parent chain must continue the cached one (a fast-forward to a
  // merge whose first parent is a side branch does not): otherwise start afresh.
  const joint = chain.length > 0 ? metas.get(chain[0] as string)?.parents[0] : undefined;
  if (state.tip && chain.length > 0 && joint !== state.tip.sha) return 'rebuild';
  if (options.until !== undefined) {
    let last = -1;
    chain.forEach((sha, i) => {
      if ((metas.get(sha)?.commitTime ?? 0) <= (options.until as number)) last = i;
    });
    chain = chain.slice(0, last + 1);
  }
  const base = state.changes.length;
  const tag = latestTag(tags, state, chain);
  // A newest tag inside the cached part whose snapshot the cache lacks needs a full pass.
  if (tag && tag.position < base && state.tag?.sha !== tag.sha) return 'rebuild';
  if (chain.length === 0) return { state, processed: 0 };
  const wanted = new Map([...allNotes].filter(([commit]) => metas.has(commit)));
  const notes = await readAuthorshipNotes(root, wanted);
  for (const [sha, note] of notes) {
    const meta = metas.get(sha);
    if (meta) meta.attribution = attributeFromNote(note, compiled);
  }
  const pending: { change: number; refs: ChangeRef[] }[] = [];
  let processed = 0;
  let failure: Error | undefined;
  const parser = new PatchParser((commit) => {
    if (failure) return;
    const index = base + processed;
    const meta = metas.get(commit.sha);
    if (commit.sha !== chain[processed] || !meta) {
      failure = new Error(`unexpected commit ${commit.sha} in the main-line stream`);
      return;
    }
    const brought = meta.parents.length > 1 ? broughtInCommits(meta, metas, state.landedBy) : [];
    state.landedBy.set(meta.sha, index);
    for (const b of brought) state.landedBy.set(b.sha, index);
    const attribution = combineAttributions(
      meta.attribution,
      brought.map((b) => b.attribution),
    );
    const note = notes.get(meta.sha);
    const classify = note
      ? (path: string, line: number) => noteCoversLine(note, path, line)
      : () => attribution.ai;
    const applied = state.tracker.apply(commit, index, classify);
    const record: ChangeRecord = {
      sha: meta.sha,
      landedAt: commit.commitTime,
      authorTime: meta.authorTime,
      merge: meta.parents.length > 1,
      ai: attribution.ai,
      tools: attribution.tools,
      models: attribution.models,
      signals: attribution.signals,
      lineLevel: note !== undefined,
      diffAdded: applied.diffAdded,
      diffDeleted: applied.diffDeleted,
      landedAi: applied.landedAi,
      landedOther: applied.landedOther,
      moved: applied.moved,
      branchStart: brought.length > 0 ? Math.min(...brought.map((b) => b.authorTime)) : null,
      broughtIn: brought.length,
      reverts: [],
      fixes: [],
      workItems: [...new Set([...meta.workItems, ...brought.flatMap((b) => b.workItems)])],
    };
    state.changes.push(record);
    pending.push({ change: index, refs: [...meta.refs, ...brought.flatMap((b) => b.refs)] });
    if (tag && tag.sha === meta.sha)
      state.tag = {
        name: tag.name,
        sha: tag.sha,
        change: index,
        alive: state.tracker.snapshotAlive(),
      };
    processed++;
    if (options.onProgress && (processed % 500 === 0 || processed === chain.length))
      options.onProgress(processed, chain.length);
  });
  const end = chain[chain.length - 1] as string;
  await gitStream(
    root,
    [
      'log',
      '--first-parent',
      '--diff-merges=first-parent',
      '-p',
      '--reverse',
      '-M',
      '--no-color',
      '--no-ext-diff',
      '--no-textconv',
      '--src-prefix=a/',
      '--dst-prefix=b/',
      '--format=%x00%H %ct',
      end,
      ...since,
      '--',
    ],
    (chunk) => parser.push(chunk),
  );
  parser.end();
  if (failure || processed !== chain.length) return 'rebuild';
  resolveRefs(state, pending);
  for (const [commit, blob] of wanted)
    if (state.landedBy.has(commit)) state.notes.set(commit, blob);
  const last = metas.get(end) as CommitMeta;
  state.tip = { sha: end, time: last.commitTime };
  return { state, processed };
}

/** The first-parent chain from the oldest new commit to `tip`. */
function mainLine(metas: ReadonlyMap<string, CommitMeta>, tip: string): string[] {
  const chain: string[] = [];
  let sha: string | undefined = tip;
  while (sha !== undefined && metas.has(sha)) {
    chain.push(sha);
    sha = metas.get(sha)?.parents[0];
  }
  return chain.reverse();
}

function resolveRefs(state: HistoryState, pending: { change: number; refs: ChangeRef[] }[]): void {
  if (!pending.some((p) => p.refs.length > 0)) return;
  const sorted = [...state.landedBy.keys()].sort();
  for (const { change, refs } of pending) {
    const record = state.changes[change] as ChangeRecord;
    for (const ref of refs) {
      const full = resolvePrefix(sorted, ref.sha);
      const target = full === undefined ? undefined : state.landedBy.get(full);
      // Only earlier landed changes can fail; a fix inside the same branch never landed broken.
      if (target === undefined || target >= change) continue;
      const list = ref.kind === 'revert' ? record.reverts : record.fixes;
      if (!list.includes(target)) list.push(target);
    }
  }
}
