/**
 * One git branch and worktree per work item: `keel/<id>` checked out under
 * `.keel/state/worktrees/<id>`, outside the user's working copy files, so
 * passes never touch what the user is editing. Idempotent: a crash between
 * any two steps is repaired on the next call.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { git } from './git.ts';

/** The branch of a work item, e.g. `keel/wi-3`. */
export function branchOf(itemId: string): string {
  return `keel/${itemId.toLowerCase()}`;
}

/** Where the worktree of a work item lives, under the repository root. */
export function worktreePath(root: string, itemId: string): string {
  return join(root, '.keel', 'state', 'worktrees', itemId.toLowerCase());
}

/** Creates (or repairs) the work item's branch and worktree; returns the worktree's path. */
export async function ensureWorktree(root: string, itemId: string): Promise<string> {
  const path = worktreePath(root, itemId);
  const branch = branchOf(itemId);
  if (existsSync(join(path, '.git'))) return path;
  // A worktree whose folder vanished (or an add cut short) leaves metadata behind.
  await git(root, ['worktree', 'prune']);
  const exists = await git(root, ['branch', '--list', branch]);
  if (exists.trim()) await git(root, ['worktree', 'add', '--force', path, branch]);
  else await git(root, ['worktree', 'add', '--force', '-b', branch, path, 'HEAD']);
  return path;
}

/** Drops uncommitted changes left by an interrupted attempt (tracked and untracked, not ignored). */
export async function resetWorktree(path: string): Promise<void> {
  await git(path, ['reset', '--hard', '--quiet', 'HEAD']);
  await git(path, ['clean', '-fd', '--quiet']);
}

/** Files changed in the worktree (modified, added, deleted, untracked), as repository paths. */
export async function changedFiles(path: string): Promise<string[]> {
  const out = await git(path, ['status', '--porcelain=v1', '-z', '--untracked-files=all']);
  const files: string[] = [];
  const parts = out.split('\0');
  for (let i = 0; i < parts.length; i++) {
    const entry = parts[i] ?? '';
    if (entry.length < 4) continue;
    const status = entry.slice(0, 2);
    files.push(entry.slice(3));
    // A rename is followed by its original path.
    if (status.startsWith('R') || status.startsWith('C')) {
      const from = parts[++i];
      if (from) files.push(from);
    }
  }
  return [...new Set(files)].sort();
}

/** Puts the given paths back as committed (removing them when they are new). */
export async function revertFiles(path: string, files: readonly string[]): Promise<void> {
  if (files.length === 0) return;
  const tracked = (await git(path, ['ls-files', '-z', '--', ...files])).split('\0').filter(Boolean);
  const trackedSet = new Set(tracked);
  if (tracked.length > 0) {
    await git(path, ['checkout', 'HEAD', '--', ...tracked]);
  }
  const untracked = files.filter((f) => !trackedSet.has(f));
  if (untracked.length > 0) await git(path, ['clean', '-f', '--quiet', '--', ...untracked]);
}

/** Current commit of the worktree. */
export async function headOf(path: string): Promise<string> {
  return (await git(path, ['rev-parse', 'HEAD'])).trim();
}

export interface CommitTrailers {
  workItem: string;
  pass: string;
  generation: string;
  agent: string;
  model: string;
  /** `Name <email>` of the tool that wrote the change (a coding-agent CLI), as `Co-authored-by:`. */
  coAuthor?: string;
}

/** Commits every change in the worktree with keel's trailers; returns the commit, or null when nothing changed. */
export async function commitAll(
  path: string,
  subject: string,
  trailers: CommitTrailers,
): Promise<string | null> {
  await git(path, ['add', '-A']);
  const staged = await git(path, ['diff', '--cached', '--name-only']);
  if (!staged.trim()) return null;
  const identity = await hasIdentity(path);
  await git(path, [
    ...(identity ? [] : ['-c', 'user.name=keel', '-c', 'user.email=keel@localhost']),
    'commit',
    '--quiet',
    '--no-verify',
    '-m',
    subject,
    '--trailer',
    `Keel-Work-Item: ${trailers.workItem}`,
    '--trailer',
    `Keel-Pass: ${trailers.pass}`,
    '--trailer',
    `Keel-Generation: ${trailers.generation}`,
    '--trailer',
    `Keel-Agent: ${trailers.agent}`,
    '--trailer',
    `Keel-Model: ${trailers.model}`,
    ...(trailers.coAuthor ? ['--trailer', `Co-authored-by: ${trailers.coAuthor}`] : []),
  ]);
  return headOf(path);
}

async function hasIdentity(path: string): Promise<boolean> {
  try {
    return (await git(path, ['config', 'user.email'])).trim() !== '';
  } catch {
    return false;
  }
}
