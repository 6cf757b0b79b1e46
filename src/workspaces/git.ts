/** Runs git with an argv array (never a shell string) and returns its stdout. */
import { execFile } from 'node:child_process';
import { KeelError } from '../core/index.ts';

/** Raised when a git command of the workspace layer fails; names the command and git's message. */
export class WorkspaceError extends KeelError {
  override readonly code = 'WORKSPACE';
}

/** `git ARGS…` in `cwd`; throws WorkspaceError with git's stderr on failure. */
export function git(
  cwd: string,
  args: readonly string[],
  env?: NodeJS.ProcessEnv,
): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      args,
      { cwd, env: env ?? process.env, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) {
          reject(
            new WorkspaceError(
              `git ${args.join(' ')} failed in ${cwd}: ${String(stderr).trim() || error.message}`,
              {
                hint: 'check the repository state with `git status` and `git worktree list`',
              },
            ),
          );
        } else resolve(String(stdout));
      },
    );
  });
}
