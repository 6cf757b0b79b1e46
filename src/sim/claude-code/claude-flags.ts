/**
 * Command-line parsing of the Claude Code fake, faithful to the real CLI's
 * (commander-based) behaviour for the flags keel and users pass headless:
 * unknown options and bad choices are rejected with the same messages and
 * exit code 1; variadic tool lists swallow following words as the real one does.
 */

export interface ClaudeFlags {
  print: boolean;
  verbose: boolean;
  outputFormat: 'text' | 'json' | 'stream-json';
  model?: string;
  maxTurns?: number;
  allowedTools: string[];
  disallowedTools: string[];
  permissionMode: string;
  resume?: string;
  continue: boolean;
  /** With --resume/--continue: a new session id holding a copy of the old session's context. */
  forkSession: boolean;
  sessionId?: string;
  appendSystemPrompt?: string;
  systemPrompt?: string;
  dangerouslySkipPermissions: boolean;
  version: boolean;
  help: boolean;
  prompt?: string;
}

/** A rejected command line: the message the real CLI prints, and its exit code. */
export interface FlagError {
  error: string;
  exitCode: number;
}

type Spec = {
  key: string;
  kind: 'bool' | 'value' | 'list' | 'optional';
  choices?: readonly string[];
};

const OUTPUT_FORMATS = ['text', 'json', 'stream-json'] as const;
const PERMISSION_MODES = [
  'acceptEdits',
  'bypassPermissions',
  'default',
  'dontAsk',
  'plan',
] as const;

const SPECS: Readonly<Record<string, Spec>> = {
  '-p': { key: 'print', kind: 'bool' },
  '--print': { key: 'print', kind: 'bool' },
  '--verbose': { key: 'verbose', kind: 'bool' },
  '--output-format': { key: 'outputFormat', kind: 'value', choices: OUTPUT_FORMATS },
  '--input-format': { key: 'inputFormat', kind: 'value', choices: ['text', 'stream-json'] },
  '--model': { key: 'model', kind: 'value' },
  '--fallback-model': { key: 'fallbackModel', kind: 'value' },
  '--max-turns': { key: 'maxTurns', kind: 'value' },
  '--max-budget-usd': { key: 'maxBudgetUsd', kind: 'value' },
  '--allowedTools': { key: 'allowedTools', kind: 'list' },
  '--allowed-tools': { key: 'allowedTools', kind: 'list' },
  '--disallowedTools': { key: 'disallowedTools', kind: 'list' },
  '--disallowed-tools': { key: 'disallowedTools', kind: 'list' },
  '--permission-mode': { key: 'permissionMode', kind: 'value', choices: PERMISSION_MODES },
  '--dangerously-skip-permissions': { key: 'dangerouslySkipPermissions', kind: 'bool' },
  '-r': { key: 'resume', kind: 'optional' },
  '--resume': { key: 'resume', kind: 'optional' },
  '-c': { key: 'continue', kind: 'bool' },
  '--continue': { key: 'continue', kind: 'bool' },
  '--session-id': { key: 'sessionId', kind: 'value' },
  '--fork-session': { key: 'forkSession', kind: 'bool' },
  '--append-system-prompt': { key: 'appendSystemPrompt', kind: 'value' },
  '--system-prompt': { key: 'systemPrompt', kind: 'value' },
  '--mcp-config': { key: 'mcpConfig', kind: 'list' },
  '--strict-mcp-config': { key: 'strictMcpConfig', kind: 'bool' },
  '--add-dir': { key: 'addDir', kind: 'list' },
  '--settings': { key: 'settings', kind: 'value' },
  '--include-partial-messages': { key: 'includePartialMessages', kind: 'bool' },
  '-v': { key: 'version', kind: 'bool' },
  '--version': { key: 'version', kind: 'bool' },
  '-h': { key: 'help', kind: 'bool' },
  '--help': { key: 'help', kind: 'bool' },
};

/** Parses `claude` arguments; returns the flags or the error the real CLI would print. */
export function parseClaudeFlags(argv: readonly string[]): ClaudeFlags | FlagError {
  const raw: Record<string, unknown> = { allowedTools: [], disallowedTools: [] };
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] as string;
    if (arg === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positional.push(arg);
      continue;
    }
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const inline = eq > 0 ? arg.slice(eq + 1) : undefined;
    const spec = SPECS[name];
    if (!spec) return { error: `error: unknown option '${arg}'`, exitCode: 1 };
    if (spec.kind === 'bool') {
      raw[spec.key] = true;
      continue;
    }
    if (spec.kind === 'list') {
      const values = inline !== undefined ? [inline] : [];
      while (i + 1 < argv.length && !(argv[i + 1] as string).startsWith('-'))
        values.push(argv[++i] as string);
      if (values.length === 0)
        return { error: `error: option '${name} <tools...>' argument missing`, exitCode: 1 };
      (raw[spec.key] as string[]).push(...values.flatMap(splitToolList));
      continue;
    }
    let value = inline;
    if (value === undefined && i + 1 < argv.length && !(argv[i + 1] as string).startsWith('-'))
      value = argv[++i] as string;
    if (value === undefined) {
      if (spec.kind === 'optional') {
        raw[spec.key] = true;
        continue;
      }
      return { error: `error: option '${name} <value>' argument missing`, exitCode: 1 };
    }
    if (spec.choices && !spec.choices.includes(value))
      return {
        error: `error: option '${name} <value>' argument '${value}' is invalid. Allowed choices are ${spec.choices.join(', ')}.`,
        exitCode: 1,
      };
    raw[spec.key] = value;
  }
  if (positional.length > 1)
    return {
      error: `error: too many arguments. Expected 1 argument but got ${positional.length}.`,
      exitCode: 1,
    };
  let maxTurns: number | undefined;
  if (raw.maxTurns !== undefined) {
    maxTurns = Number(raw.maxTurns);
    if (!Number.isInteger(maxTurns) || maxTurns < 1)
      return {
        error: `Error: --max-turns must be a positive integer, got ${String(raw.maxTurns)}`,
        exitCode: 1,
      };
  }
  return {
    print: raw.print === true,
    verbose: raw.verbose === true,
    outputFormat: (raw.outputFormat as ClaudeFlags['outputFormat'] | undefined) ?? 'text',
    model: raw.model as string | undefined,
    maxTurns,
    allowedTools: raw.allowedTools as string[],
    disallowedTools: raw.disallowedTools as string[],
    permissionMode: (raw.permissionMode as string | undefined) ?? 'default',
    resume: typeof raw.resume === 'string' ? raw.resume : raw.resume === true ? '' : undefined,
    continue: raw.continue === true,
    forkSession: raw.forkSession === true,
    sessionId: raw.sessionId as string | undefined,
    appendSystemPrompt: raw.appendSystemPrompt as string | undefined,
    systemPrompt: raw.systemPrompt as string | undefined,
    dangerouslySkipPermissions: raw.dangerouslySkipPermissions === true,
    version: raw.version === true,
    help: raw.help === true,
    prompt: positional[0],
  };
}

/** True when parsing failed. */
export function isFlagError(value: unknown): value is FlagError {
  return typeof value === 'object' && value !== null && 'error' in value;
}

/** Splits `Edit,Bash(git diff:*) Read` on commas and spaces outside parentheses. */
export function splitToolList(list: string): string[] {
  const tools: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of list) {
    if (ch === '(') depth += 1;
    if (ch === ')') depth = Math.max(0, depth - 1);
    if ((ch === ',' || ch === ' ') && depth === 0) {
      if (current.trim()) tools.push(current.trim());
      current = '';
    } else current += ch;
  }
  if (current.trim()) tools.push(current.trim());
  return tools;
}

/** Whether Claude Code in this permission set may run `tool` (with `command` for Bash) without asking. */
export function toolPermitted(flags: ClaudeFlags, tool: string, command?: string): boolean {
  const rules = (list: string[]) => list.filter((r) => ruleCovers(r, tool, command));
  if (rules(flags.disallowedTools).length > 0) return false;
  if (flags.dangerouslySkipPermissions || flags.permissionMode === 'bypassPermissions') return true;
  if (flags.permissionMode === 'plan' && tool !== 'Read') return false;
  if (flags.permissionMode === 'acceptEdits' && EDIT_TOOLS.has(tool)) return true;
  return rules(flags.allowedTools).length > 0;
}

const EDIT_TOOLS = new Set(['Edit', 'Write', 'MultiEdit', 'NotebookEdit']);

function ruleCovers(rule: string, tool: string, command: string | undefined): boolean {
  const m = /^(\w+)(?:\((.*)\))?$/.exec(rule);
  if (!m) return false;
  const [, name, spec] = m;
  // An Edit rule covers every file-editing tool.
  const sameTool = name === tool || (EDIT_TOOLS.has(name as string) && EDIT_TOOLS.has(tool));
  if (!sameTool) return false;
  if (spec === undefined || command === undefined) return true;
  if (spec.endsWith(':*')) return command.startsWith(spec.slice(0, -2));
  return command === spec;
}
