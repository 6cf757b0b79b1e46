/**
 * Finds the repository keel works on: the nearest folder, from the working
 * directory up, that holds `.keel/keel.yaml`; failing that, the git work tree.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { NotInitializedError } from '../core/index.ts';

/** The nearest ancestor of `cwd` (inclusive) containing `.keel/keel.yaml`, if any. */
export function findKeelRoot(cwd: string): string | undefined {
  let dir = resolve(cwd);
  for (;;) {
    if (existsSync(join(dir, '.keel', 'keel.yaml'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** The top of the git work tree containing `cwd`, if it is in one. */
export function findGitRoot(cwd: string): string | undefined {
  try {
    const out = execFileSync('git', ['rev-parse', '--show-toplevel'], {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return out.trim() || undefined;
  } catch {
    return undefined;
  }
}

/** The repository root of an initialised keel project; throws with a hint when there is none. */
export function requireKeelRoot(cwd: string): string {
  const root = findKeelRoot(cwd);
  if (root) return root;
  throw new NotInitializedError(`no .keel/keel.yaml in ${resolve(cwd)} or any folder above it`, {
    hint: 'run `keel init` in your repository first',
  });
}

/** Who is acting, for the ledger: git's user.name, else the OS user. */
export function currentActor(cwd: string, env: NodeJS.ProcessEnv): string {
  if (env.KEEL_ACTOR) return env.KEEL_ACTOR;
  try {
    const name = execFileSync('git', ['config', 'user.name'], {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    if (name) return name;
  } catch {
    // not a git repository or no identity configured: fall back below
  }
  return env.USER ?? env.USERNAME ?? 'unknown';
}
