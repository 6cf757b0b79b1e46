/**
 * Before a run dispatches anything: can the coding-agent CLIs its agents use be
 * started at all? A missing program is a set-up problem, not a failed attempt:
 * finding it up front keeps the work item untouched instead of burning its
 * retries (and failing it) on an error that no retry can fix.
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { InvalidInputError } from '../../core/index.ts';
import { COMMAND_ENV, type CodingAgentTool, resolveCliCommand } from './cli-command.ts';

/** True when `program` names an executable file: a path, or a name found on PATH. */
export function findExecutable(program: string, env: NodeJS.ProcessEnv, cwd: string): boolean {
  const candidates =
    isAbsolute(program) || program.includes('/')
      ? [resolve(cwd, program)]
      : (env.PATH ?? '')
          .split(delimiter)
          .filter(Boolean)
          .map((dir) => join(dir, program));
  return candidates.some((file) => {
    try {
      accessSync(file, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

const CONFIG_KEY: Record<CodingAgentTool, string> = {
  'claude-code': 'claude_code',
  codex: 'codex',
};

/** Throws a clear error naming every coding-agent CLI that `tools` need and cannot be started. */
export function assertCodingAgentsAvailable(
  tools: ReadonlySet<CodingAgentTool>,
  configured: { claudeCode?: { command: string[] }; codex?: { command: string[] } } | undefined,
  env: NodeJS.ProcessEnv,
  cwd: string,
): void {
  const missing: string[] = [];
  const missingTools: CodingAgentTool[] = [];
  for (const tool of tools) {
    const command = resolveCliCommand(
      tool,
      tool === 'claude-code' ? configured?.claudeCode?.command : configured?.codex?.command,
      env,
    );
    const program = command[0];
    if (program && !findExecutable(program, env, cwd)) {
      missing.push(`${tool} (\`${program}\`)`);
      missingTools.push(tool);
    }
  }
  if (missing.length === 0) return;
  throw new InvalidInputError(
    `cannot start ${missing.join(' and ')}: not found or not executable; nothing was dispatched`,
    {
      hint: `install the CLI, or point keel at it with ${missingTools.map((t) => COMMAND_ENV[t]).join(' / ')} or keel.yaml \`runtimes: { ${missingTools.map((t) => `${CONFIG_KEY[t]}: { command: [...] }`).join(', ')} }\` (keel's fakes: bin/keel-sim-claude.js, bin/keel-sim-codex.js)`,
    },
  );
}
