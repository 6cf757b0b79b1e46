/**
 * Builds the argv of a `codex exec --json` run (or `codex exec resume`) from an
 * agent's settings. The result is an argument array for `spawn`, never a shell string.
 */
import { UsageError } from '../../core/index.ts';
import { type CliInvocation, nonEmpty } from '../claude-code/index.ts';

export const CODEX_SANDBOXES = ['read-only', 'workspace-write', 'danger-full-access'] as const;
export type CodexSandbox = (typeof CODEX_SANDBOXES)[number];

export interface CodexRunOptions {
  prompt: string;
  /** `stdin` (default) keeps long prompts out of the process table and clear of ARG_MAX. */
  promptVia?: 'stdin' | 'argument';
  model?: string;
  sandbox?: CodexSandbox;
  /** `--full-auto`, for CLI versions that predate `--sandbox workspace-write` as its replacement. */
  fullAuto?: boolean;
  skipGitRepoCheck?: boolean;
  /** `-C DIR`: the agent's working root (the runner's cwd otherwise). */
  cd?: string;
  /** Continue this thread (`codex exec resume ID`). */
  resumeSessionId?: string;
  /** Continue the most recent thread (`codex exec resume --last`). */
  resumeLast?: boolean;
  /** `-c key=value` configuration overrides, in order. */
  config?: Readonly<Record<string, string>>;
}

/** Builds `codex exec --json …` for one run. */
export function buildCodexArgs(options: CodexRunOptions): CliInvocation {
  // Options of `exec` itself go before the `resume` subcommand, where every version accepts them.
  const args = ['exec', '--json'];
  if (options.model !== undefined) args.push('--model', nonEmpty(options.model, 'model'));
  if (options.sandbox !== undefined) {
    if (!CODEX_SANDBOXES.includes(options.sandbox))
      throw new UsageError(`unknown Codex sandbox "${options.sandbox}"`, {
        hint: `use one of: ${CODEX_SANDBOXES.join(', ')}`,
      });
    args.push('--sandbox', options.sandbox);
  }
  if (options.fullAuto) args.push('--full-auto');
  if (options.skipGitRepoCheck) args.push('--skip-git-repo-check');
  if (options.cd !== undefined) args.push('-C', nonEmpty(options.cd, 'working directory'));
  for (const [key, value] of Object.entries(options.config ?? {}))
    args.push('-c', `${nonEmpty(key, 'config key')}=${value}`);
  if (options.resumeSessionId !== undefined && options.resumeLast)
    throw new UsageError('resume either a given session or the last one, not both', {
      hint: 'drop resumeLast or resumeSessionId',
    });
  if (options.resumeSessionId !== undefined)
    args.push('resume', nonEmpty(options.resumeSessionId, 'resume session id'));
  else if (options.resumeLast) args.push('resume', '--last');
  if (options.promptVia === 'argument' && !options.prompt.startsWith('-')) {
    args.push(options.prompt);
    return { args, stdin: '' };
  }
  // `-` reads the prompt from stdin (a prompt starting with a dash would read as an option).
  args.push('-');
  return { args, stdin: options.prompt };
}
