/**
 * Builds the argv of a headless Claude Code run from an agent's settings. The
 * result is an argument array for `spawn`, never a shell string.
 */
import { UsageError } from '../../core/index.ts';

/** Claude Code's permission modes that make sense headless. */
export const CLAUDE_PERMISSION_MODES = [
  'default',
  'acceptEdits',
  'bypassPermissions',
  'plan',
  'dontAsk',
] as const;
export type ClaudePermissionMode = (typeof CLAUDE_PERMISSION_MODES)[number];

export interface ClaudeRunOptions {
  prompt: string;
  /** `stdin` (default) keeps long prompts out of the process table and clear of ARG_MAX. */
  promptVia?: 'stdin' | 'argument';
  model?: string;
  maxTurns?: number;
  allowedTools?: readonly string[];
  disallowedTools?: readonly string[];
  permissionMode?: ClaudePermissionMode;
  /** Continue this session instead of starting one. */
  resumeSessionId?: string;
  appendSystemPrompt?: string;
}

/** The spawn arguments and the text to write on stdin. */
export interface CliInvocation {
  args: string[];
  stdin: string;
}

/** Builds `claude -p --output-format stream-json --verbose …` for one run. */
export function buildClaudeArgs(options: ClaudeRunOptions): CliInvocation {
  const args = ['-p', '--output-format', 'stream-json', '--verbose'];
  if (options.model !== undefined) args.push('--model', nonEmpty(options.model, 'model'));
  if (options.maxTurns !== undefined) {
    if (!Number.isInteger(options.maxTurns) || options.maxTurns < 1)
      throw new UsageError(`max turns must be a positive integer, got ${options.maxTurns}`, {
        hint: 'set max_turns to 1 or more',
      });
    args.push('--max-turns', String(options.maxTurns));
  }
  // One comma-separated argument: the option is variadic, so separate words would swallow a prompt.
  if (options.allowedTools?.length) args.push('--allowedTools', toolList(options.allowedTools));
  if (options.disallowedTools?.length)
    args.push('--disallowedTools', toolList(options.disallowedTools));
  if (options.permissionMode !== undefined) {
    if (!CLAUDE_PERMISSION_MODES.includes(options.permissionMode))
      throw new UsageError(`unknown Claude Code permission mode "${options.permissionMode}"`, {
        hint: `use one of: ${CLAUDE_PERMISSION_MODES.join(', ')}`,
      });
    args.push('--permission-mode', options.permissionMode);
  }
  if (options.resumeSessionId !== undefined)
    args.push('--resume', nonEmpty(options.resumeSessionId, 'resume session id'));
  if (options.appendSystemPrompt) args.push('--append-system-prompt', options.appendSystemPrompt);
  if (options.promptVia === 'argument') {
    // `--` so that a prompt starting with a dash is never read as an option.
    args.push('--', options.prompt);
    return { args, stdin: '' };
  }
  return { args, stdin: options.prompt };
}

function toolList(tools: readonly string[]): string {
  for (const tool of tools) nonEmpty(tool, 'tool name');
  return tools.join(',');
}

/** Rejects an empty or blank setting, naming it. */
export function nonEmpty(value: string, what: string): string {
  if (value.trim() === '')
    throw new UsageError(`the ${what} is empty`, { hint: `give a ${what} or leave it unset` });
  return value;
}
