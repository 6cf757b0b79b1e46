/**
 * Command-line parsing of the Codex fake, faithful to `codex exec` (a clap
 * parser): `codex exec [OPTIONS] [PROMPT]` and `codex exec [OPTIONS] resume
 * [SESSION_ID|--last] [PROMPT]`; unknown arguments and bad values are rejected
 * with clap's messages and exit code 2.
 */
import type { FlagError } from '../claude-code/claude-flags.ts';

export const SANDBOX_MODES = ['read-only', 'workspace-write', 'danger-full-access'] as const;

export interface CodexFlags {
  version: boolean;
  help: boolean;
  json: boolean;
  model?: string;
  sandbox?: string;
  fullAuto: boolean;
  bypass: boolean;
  skipGitRepoCheck: boolean;
  ephemeral: boolean;
  cd?: string;
  config: string[];
  outputLastMessage?: string;
  /** `resume` subcommand: a session id, or `last`. */
  resume?: { sessionId?: string; last: boolean; all: boolean };
  prompt?: string;
}

type Spec = {
  key: string;
  kind: 'bool' | 'value' | 'repeat';
  choices?: readonly string[];
  meta: string;
};

const SPECS: Readonly<Record<string, Spec>> = {
  '--json': { key: 'json', kind: 'bool', meta: '' },
  '--experimental-json': { key: 'json', kind: 'bool', meta: '' },
  '-m': { key: 'model', kind: 'value', meta: '--model <MODEL>' },
  '--model': { key: 'model', kind: 'value', meta: '--model <MODEL>' },
  '-s': { key: 'sandbox', kind: 'value', choices: SANDBOX_MODES, meta: '--sandbox <SANDBOX_MODE>' },
  '--sandbox': {
    key: 'sandbox',
    kind: 'value',
    choices: SANDBOX_MODES,
    meta: '--sandbox <SANDBOX_MODE>',
  },
  '--full-auto': { key: 'fullAuto', kind: 'bool', meta: '' },
  '--dangerously-bypass-approvals-and-sandbox': { key: 'bypass', kind: 'bool', meta: '' },
  '--yolo': { key: 'bypass', kind: 'bool', meta: '' },
  '--skip-git-repo-check': { key: 'skipGitRepoCheck', kind: 'bool', meta: '' },
  '--ephemeral': { key: 'ephemeral', kind: 'bool', meta: '' },
  '--oss': { key: 'oss', kind: 'bool', meta: '' },
  '--ignore-user-config': { key: 'ignoreUserConfig', kind: 'bool', meta: '' },
  '--ignore-rules': { key: 'ignoreRules', kind: 'bool', meta: '' },
  '-C': { key: 'cd', kind: 'value', meta: '--cd <DIR>' },
  '--cd': { key: 'cd', kind: 'value', meta: '--cd <DIR>' },
  '-c': { key: 'config', kind: 'repeat', meta: '--config <key=value>' },
  '--config': { key: 'config', kind: 'repeat', meta: '--config <key=value>' },
  '-p': { key: 'profile', kind: 'value', meta: '--profile <CONFIG_PROFILE>' },
  '--profile': { key: 'profile', kind: 'value', meta: '--profile <CONFIG_PROFILE>' },
  '--local-provider': {
    key: 'localProvider',
    kind: 'value',
    meta: '--local-provider <OSS_PROVIDER>',
  },
  '-i': { key: 'image', kind: 'repeat', meta: '--image <FILE>' },
  '--image': { key: 'image', kind: 'repeat', meta: '--image <FILE>' },
  '--add-dir': { key: 'addDir', kind: 'repeat', meta: '--add-dir <DIR>' },
  '--output-schema': { key: 'outputSchema', kind: 'value', meta: '--output-schema <FILE>' },
  '--color': {
    key: 'color',
    kind: 'value',
    choices: ['always', 'never', 'auto'],
    meta: '--color <COLOR>',
  },
  '-o': { key: 'outputLastMessage', kind: 'value', meta: '--output-last-message <FILE>' },
  '--output-last-message': {
    key: 'outputLastMessage',
    kind: 'value',
    meta: '--output-last-message <FILE>',
  },
  '--last': { key: 'last', kind: 'bool', meta: '' },
  '--all': { key: 'all', kind: 'bool', meta: '' },
  '-h': { key: 'help', kind: 'bool', meta: '' },
  '--help': { key: 'help', kind: 'bool', meta: '' },
  '-V': { key: 'version', kind: 'bool', meta: '' },
  '--version': { key: 'version', kind: 'bool', meta: '' },
};

const USAGE = 'Usage: codex exec [OPTIONS] [PROMPT]\n       codex exec [OPTIONS] <COMMAND> [ARGS]';

function clapError(message: string, tip?: string): FlagError {
  const lines = [`error: ${message}`, ''];
  if (tip) lines.push(`  tip: ${tip}`, '');
  lines.push(USAGE, '', "For more information, try '--help'.");
  return { error: lines.join('\n'), exitCode: 2 };
}

/** Parses `codex` arguments; returns the flags or the error the real CLI would print. */
export function parseCodexFlags(argv: readonly string[]): CodexFlags | FlagError {
  const raw: Record<string, unknown> = { config: [], image: [], addDir: [] };
  const rest = [...argv];
  const first = rest[0];
  if (first === '--version' || first === '-V') return { ...defaults(raw), version: true };
  if (first === '--help' || first === '-h') return { ...defaults(raw), help: true };
  if (first !== 'exec' && first !== 'e')
    return {
      error: `keel-sim-codex: only \`codex exec\` is simulated, got ${first ? `\`${first}\`` : 'no subcommand'}`,
      exitCode: 2,
    };
  rest.shift();
  const positional: string[] = [];
  let resume = false;
  for (let i = 0; i < rest.length; i += 1) {
    const arg = rest[i] as string;
    if (arg === '--') {
      positional.push(...rest.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      if (arg === 'resume' && !resume && positional.length === 0) resume = true;
      else positional.push(arg);
      continue;
    }
    let name = arg;
    let inline: string | undefined;
    if (arg.startsWith('--') && arg.includes('=')) {
      name = arg.slice(0, arg.indexOf('='));
      inline = arg.slice(arg.indexOf('=') + 1);
    } else if (!arg.startsWith('--') && arg.length > 2) {
      name = arg.slice(0, 2);
      inline = arg.slice(2);
    }
    const spec = SPECS[name];
    if (!spec || ((spec.key === 'last' || spec.key === 'all') && !resume))
      return clapError(
        `unexpected argument '${arg}' found`,
        `to pass '${arg}' as a value, use '-- ${arg}'`,
      );
    if (spec.kind === 'bool') {
      if (inline !== undefined) return clapError(`unexpected argument '${arg}' found`);
      raw[spec.key] = true;
      continue;
    }
    const value = inline ?? rest[++i];
    if (value === undefined)
      return clapError(`a value is required for '${spec.meta}' but none was supplied`);
    if (spec.choices && !spec.choices.includes(value))
      return {
        error: `error: invalid value '${value}' for '${spec.meta}'\n  [possible values: ${spec.choices.join(', ')}]\n\nFor more information, try '--help'.`,
        exitCode: 2,
      };
    if (spec.kind === 'repeat') (raw[spec.key] as string[]).push(value);
    else raw[spec.key] = value;
  }
  if (raw.fullAuto && raw.bypass)
    return clapError(
      "the argument '--full-auto' cannot be used with '--dangerously-bypass-approvals-and-sandbox'",
    );
  const flags = defaults(raw);
  if (resume) {
    const last = raw.last === true;
    // With --last, the one positional is the prompt, not a session id.
    const [a, b, ...extra] = positional;
    if (extra.length > 0 || (last && b !== undefined))
      return clapError(`unexpected argument '${extra[0] ?? b}' found`);
    flags.resume = { sessionId: last ? undefined : a, last, all: raw.all === true };
    flags.prompt = last ? a : b;
    if (!last && a === undefined)
      return clapError('the session id is required unless --last is given');
    return flags;
  }
  if (positional.length > 1) return clapError(`unexpected argument '${positional[1]}' found`);
  flags.prompt = positional[0];
  return flags;
}

function defaults(raw: Record<string, unknown>): CodexFlags {
  return {
    version: raw.version === true,
    help: raw.help === true,
    json: raw.json === true,
    model: raw.model as string | undefined,
    sandbox: raw.sandbox as string | undefined,
    fullAuto: raw.fullAuto === true,
    bypass: raw.bypass === true,
    skipGitRepoCheck: raw.skipGitRepoCheck === true,
    ephemeral: raw.ephemeral === true,
    cd: raw.cd as string | undefined,
    config: raw.config as string[],
    outputLastMessage: raw.outputLastMessage as string | undefined,
  };
}

/** The sandbox in force: explicit `--sandbox`, else `--full-auto`'s workspace-write, else read-only. */
export function effectiveSandbox(flags: CodexFlags): string {
  if (flags.bypass) return 'danger-full-access';
  return flags.sandbox ?? (flags.fullAuto ? 'workspace-write' : 'read-only');
}
