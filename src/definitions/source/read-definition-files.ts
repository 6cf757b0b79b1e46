/**
 * Reads the files under `.keel/` (the only I/O of this module) and parses them
 * into located YAML sources. Syntax problems become diagnostics here; nothing
 * in this step throws on bad content.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidInputError } from '../../core/index.ts';
import type { DiagnosticSink } from '../diagnostics.ts';
import { parseFrontmatter } from './frontmatter.ts';
import { parseYamlSource, type YamlSource } from './yaml-source.ts';

export const KEEL_DIR = '.keel';
export const CONFIG_FILE = `${KEEL_DIR}/keel.yaml`;
export const WORKFLOWS_DIR = `${KEEL_DIR}/workflows`;
export const AGENTS_DIR = `${KEEL_DIR}/agents`;

/** One agent file: its name from the file name, its frontmatter (when parseable) and body. */
export interface AgentSource {
  file: string;
  stem: string;
  yaml: YamlSource | undefined;
  body: string;
}

export interface DefinitionFiles {
  config: YamlSource | undefined;
  workflows: YamlSource[];
  agents: AgentSource[];
}

/** Reads and parses every definition file under `repoRoot/.keel`. */
export async function readDefinitionFiles(
  repoRoot: string,
  sink: DiagnosticSink,
): Promise<DefinitionFiles> {
  const configText = await readText(join(repoRoot, CONFIG_FILE));
  const config = configText === undefined ? undefined : parsed(configText, CONFIG_FILE, sink);

  const workflows: YamlSource[] = [];
  for (const name of await listFiles(join(repoRoot, WORKFLOWS_DIR), /\.ya?ml$/)) {
    const file = `${WORKFLOWS_DIR}/${name}`;
    const text = (await readText(join(repoRoot, file))) ?? '';
    workflows.push(parsed(text, file, sink));
  }

  const agents: AgentSource[] = [];
  for (const name of await listFiles(join(repoRoot, AGENTS_DIR), /\.md$/)) {
    const file = `${AGENTS_DIR}/${name}`;
    const text = (await readText(join(repoRoot, file))) ?? '';
    const stem = name.replace(/\.md$/, '');
    const front = parseFrontmatter(text, file);
    if (!front.ok) {
      sink.push({
        severity: 'error',
        rule: 'malformed-frontmatter',
        message: front.message,
        location: front.location,
        path: '',
        hint: front.hint,
      });
      agents.push({ file, stem, yaml: undefined, body: '' });
      continue;
    }
    for (const problem of front.yaml.problems) {
      sink.push({
        severity: 'error',
        rule: 'malformed-frontmatter',
        message: `frontmatter YAML: ${problem.message}`,
        location: problem.location,
        path: '',
        hint: 'fix the YAML between the `---` lines',
      });
    }
    agents.push({
      file,
      stem,
      yaml: front.yaml.problems.length === 0 ? front.yaml : undefined,
      body: front.body,
    });
  }
  return { config, workflows, agents };
}

function parsed(text: string, file: string, sink: DiagnosticSink): YamlSource {
  const source = parseYamlSource(text, file);
  for (const problem of source.problems) {
    sink.push({
      severity: 'error',
      rule: 'malformed-yaml',
      message: problem.message,
      location: problem.location,
      path: '',
      hint: 'fix the YAML syntax at this position (indentation, quotes, a missing `:`)',
    });
  }
  return source;
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw unreadable(path, error);
  }
}

function unreadable(path: string, error: unknown): InvalidInputError {
  const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
  return new InvalidInputError(`cannot read ${path} (${reason})`, {
    cause: error,
    hint: 'check that it is a readable file (or directory) and not, say, a broken symlink',
  });
}

async function listFiles(dir: string, pattern: RegExp): Promise<string[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries
      .filter((e) => e.isFile() && pattern.test(e.name))
      .map((e) => e.name)
      .sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw unreadable(dir, error);
  }
}
