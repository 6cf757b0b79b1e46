/**
 * Serialises the work on one worktree inside this process: independent passes
 * of an item run in parallel, but resetting the worktree, running a tool that
 * edits it, checking what changed and committing happen one at a time, so a
 * pass never commits (or wipes) another pass's files.
 */
const tails = new Map<string, Promise<void>>();

/** Runs `fn` once every earlier holder of `key` has finished. */
export async function withWorktreeLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const previous = tails.get(key) ?? Promise.resolve();
  let release: () => void = () => {};
  const current = new Promise<void>((resolve) => {
    release = resolve;
  });
  const tail = previous.then(() => current);
  tails.set(key, tail);
  await previous;
  try {
    return await fn();
  } finally {
    release();
    if (tails.get(key) === tail) tails.delete(key);
  }
}
