/**
 * Where a coding-agent CLI comes from: an environment override, else keel.yaml
 * `runtimes:`, else the CLI's usual name on PATH. Pure; the result is an argv
 * prefix (program and leading arguments), never a shell string.
 */
import { UsageError } from '../../core/index.ts';

/** The coding-agent runtime kinds keel drives. */
export type CodingAgentTool = 'claude-code' | 'codex';

/** The environment variable that overrides each tool's command. */
export const COMMAND_ENV: Readonly<Record<CodingAgentTool, string>> = {
  'claude-code': 'KEEL_CLAUDE_CODE_COMMAND',
  codex: 'KEEL_CODEX_COMMAND',
};

const DEFAULT_COMMAND: Readonly<Record<CodingAgentTool, string[]>> = {
  'claude-code': ['claude'],
  codex: ['codex'],
};

/**
 * The command to run for a tool. The environment override is either a JSON
 * array of strings (for paths with spaces) or words separated by whitespace.
 */
export function resolveCliCommand(
  tool: CodingAgentTool,
  configured: readonly string[] | undefined,
  env: NodeJS.ProcessEnv,
): string[] {
  const variable = COMMAND_ENV[tool];
  const raw = env[variable];
  if (raw !== undefined && raw.trim() !== '') return parseCommandOverride(raw, variable);
  if (configured && configured.length > 0) return [...configured];
  return [...DEFAULT_COMMAND[tool]];
}

/** Reads an override: `["node", "/a b/sim.js"]` or `node /path/sim.js`. */
export function parseCommandOverride(raw: string, variable: string): string[] {
  const trimmed = raw.trim();
  if (trimmed.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch (error) {
      throw new UsageError(`${variable} starts with [ but is not a JSON array of strings`, {
        hint: `write it as ["program", "arg"] or as words separated by spaces (${(error as Error).message})`,
      });
    }
    if (
      !Array.isArray(parsed) ||
      parsed.length === 0 ||
      !parsed.every((p) => typeof p === 'string' && p !== '')
    )
      throw new UsageError(`${variable} must be a non-empty JSON array of non-empty strings`, {
        hint: 'e.g. ["node", "/path/to/bin/keel-sim-claude.js"]',
      });
    return parsed as string[];
  }
  return trimmed.split(/\s+/);
}
