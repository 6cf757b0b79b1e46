/**
 * Finds the git work tree a command runs in. keel's definitions belong to a
 * repository, so commands that write them refuse to run outside one.
 */
import { execFileSync } from 'node:child_process';
import { NotInitializedError } from '../../core/index.ts';

/** Returns the absolute top-level folder of the git work tree containing `cwd`, or throws. */
export function findRepoRoot(cwd: string): string {
  const root = git(cwd, ['rev-parse', '--show-toplevel']);
  if (root === undefined || root === '') {
    throw new NotInitializedError(`${cwd} is not inside a git work tree`, {
      hint: 'run keel inside a git repository (`git init` first), or pass -C <repo>',
    });
  }
  return root;
}

/** Returns the URL of the `origin` remote, or undefined when there is none. */
export function originUrl(repoRoot: string): string | undefined {
  const url = git(repoRoot, ['remote', 'get-url', 'origin']);
  return url === '' ? undefined : url;
}

function git(cwd: string, args: string[]): string | undefined {
  try {
    return execFileSync('git', args, {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    // Not a repository, no such remote, or git missing: each means "not available".
    return undefined;
  }
}
