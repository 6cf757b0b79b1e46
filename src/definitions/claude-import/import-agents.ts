/**
 * `keel agents import` as a domain operation: read every subagent file, refuse
 * on the first malformed one (reporting all of them), check every target, then
 * write `.keel/agents/<name>.md` files. Nothing is written unless all succeed.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { NotFoundError } from '../../core/index.ts';
import { applyInstall, assertInstallable, planInstall } from '../starter/index.ts';
import { type ImportProblem, SubagentFormatError } from './errors.ts';
import { type MappingNote, toKeelAgent } from './mapping.ts';
import { renderAgentFile } from './render.ts';
import { type ClaudeSubagent, parseSubagent } from './subagent.ts';

export interface ImportOptions {
  /** Folder the command runs in; relative paths are resolved against it. */
  cwd: string;
  /** Repository top level; agents are written to `<repoRoot>/.keel/agents/`. */
  repoRoot: string;
  /** A folder of `*.md` subagents or one subagent file; default `<repoRoot>/.claude/agents`. */
  source?: string | undefined;
  force: boolean;
}

/** One agent brought over. */
export interface ImportedEntry {
  source: string;
  target: string;
  name: string;
  category: string;
  tier: string;
  allowed_tools: string[] | null;
}

/** What `keel agents import` did. */
export interface ImportResult {
  imported: ImportedEntry[];
  /** Targets that already held exactly the imported content (only with force). */
  skipped: string[];
  warnings: MappingNote[];
}

/** Imports Claude Code subagents into `.keel/agents/`; all-or-nothing. */
export function importSubagents(options: ImportOptions): ImportResult {
  const sourcePath =
    options.source === undefined
      ? join(options.repoRoot, '.claude', 'agents')
      : resolve(options.cwd, options.source);
  const display = (abs: string) => relative(options.cwd, abs) || '.';
  const files = sourceFiles(sourcePath, display(sourcePath));

  const problems: ImportProblem[] = [];
  const subagents: ClaudeSubagent[] = [];
  const seen = new Map<string, string>();
  for (const abs of files) {
    const parsed = parseSubagent(display(abs), readFileSync(abs, 'utf8'));
    if (!parsed.ok) {
      problems.push(...parsed.problems);
      continue;
    }
    const earlier = seen.get(parsed.value.name);
    if (earlier !== undefined) {
      problems.push({
        location: { file: parsed.value.file, line: 1, column: 1 },
        message: `agent name ${JSON.stringify(parsed.value.name)} is already used by ${earlier}`,
      });
      continue;
    }
    seen.set(parsed.value.name, parsed.value.file);
    subagents.push(parsed.value);
  }
  if (problems.length > 0) throw new SubagentFormatError(problems);

  const warnings: MappingNote[] = [];
  const entries: ImportedEntry[] = [];
  const planned = subagents.map((sub) => {
    const { agent, notes } = toKeelAgent(sub);
    warnings.push(...notes);
    const target = `.keel/agents/${agent.name}.md`;
    entries.push({
      source: sub.file,
      target,
      name: agent.name,
      category: agent.category,
      tier: agent.tier,
      allowed_tools: sub.tools ?? null,
    });
    return { path: target, content: renderAgentFile(agent, sub.body, sub.file) };
  });
  const plan = planInstall(options.repoRoot, planned, options.force);
  assertInstallable(plan, 'the imported agents');
  applyInstall(options.repoRoot, plan);
  return { imported: entries, skipped: plan.unchanged, warnings };
}

function sourceFiles(path: string, shown: string): string[] {
  let stat: ReturnType<typeof statSync>;
  try {
    stat = statSync(path);
  } catch {
    throw new NotFoundError(`no Claude Code subagents at ${shown}`, {
      hint: 'pass the folder holding the subagent .md files: keel agents import <dir>',
    });
  }
  if (stat.isFile()) return [path];
  const files = readdirSync(path)
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => join(path, name))
    .filter((abs) => statSync(abs).isFile());
  if (files.length === 0) {
    throw new NotFoundError(`no subagent files (*.md) in ${shown}`, {
      hint: 'Claude Code keeps project subagents in .claude/agents/<name>.md',
    });
  }
  return files;
}
