/**
 * The definitions pipeline: read `.keel/` → parse with positions → validate
 * each file against its schema → check the rules across files → resolve.
 * Every problem is collected and returned at once; nothing half-resolved escapes.
 */
import { access } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { DefinitionError, type Diagnostic, NotInitializedError } from '../core/index.ts';
import { DiagnosticSink, sortDiagnostics } from './diagnostics.ts';
import { resolveAgent } from './resolve/resolve-agent.ts';
import { resolveConfig } from './resolve/resolve-config.ts';
import { resolveWorkflow } from './resolve/resolve-workflow.ts';
import { checkAgentFile } from './rules/agent-rules.ts';
import { checkConfig, configNames } from './rules/config-rules.ts';
import type { CheckContext, Checked, CheckedAgent } from './rules/context.ts';
import { checkAcrossFiles } from './rules/cross-file-rules.ts';
import { checkSchema } from './rules/schema-issues.ts';
import { checkWorkflow } from './rules/workflow-rules.ts';
import {
  agentSchema,
  keelConfigSchema,
  type WorkflowFile,
  workflowSchema,
} from './schemas/index.ts';
import { CONFIG_FILE, readDefinitionFiles } from './source/read-definition-files.ts';
import type { Agent, Definitions } from './types.ts';

export interface LoadResult {
  /** The resolved definitions; undefined when any diagnostic is an error. */
  definitions: Definitions | undefined;
  /** Every problem found, errors and warnings, sorted by file and position. */
  diagnostics: Diagnostic[];
}

/** Reads, validates and resolves the definitions under `repoRoot/.keel`. */
export async function loadDefinitions(repoRoot: string): Promise<LoadResult> {
  const root = resolve(repoRoot);
  const sink = new DiagnosticSink();
  const files = await readDefinitionFiles(root, sink);
  if (!files.config) {
    sink.push({
      severity: 'error',
      rule: 'missing-config',
      message: `${CONFIG_FILE} does not exist`,
      location: { file: CONFIG_FILE, line: 1, column: 1 },
      path: '',
      hint: 'run `keel init` to write a starter set, or create the file',
    });
  }
  const configSource = files.config?.problems.length === 0 ? files.config : undefined;
  const configData = configSource && checkSchema(keelConfigSchema, configSource, sink);
  const config =
    configSource && configData ? { source: configSource, data: configData } : undefined;

  const workflows: Checked<WorkflowFile>[] = [];
  for (const source of files.workflows) {
    if (source.problems.length > 0) continue;
    const data = checkSchema(workflowSchema, source, sink);
    if (data) workflows.push({ source, data });
  }
  const agents: CheckedAgent[] = [];
  const agentNames = new Set<string>();
  for (const file of files.agents) {
    agentNames.add(file.stem);
    if (!file.yaml) continue;
    const data = checkSchema(agentSchema, file.yaml, sink);
    if (!data) continue;
    agentNames.add(data.name);
    agents.push({ source: file.yaml, data, stem: file.stem, body: file.body });
  }

  const names = config ? configNames(config.data) : undefined;
  const ctx: CheckContext = { sink, config, names, workflows, agents, agentNames };
  if (config && names) checkConfig(ctx, config, names);
  for (const agent of agents) checkAgentFile(ctx, agent);
  for (const workflow of workflows) checkWorkflow(ctx, workflow);
  checkAcrossFiles(ctx);

  const diagnostics = sortDiagnostics(sink.diagnostics);
  if (sink.errorCount > 0 || !config) return { definitions: undefined, diagnostics };
  return { definitions: resolveAll(root, config, workflows, agents), diagnostics };
}

function resolveAll(
  root: string,
  config: NonNullable<CheckContext['config']>,
  workflows: Checked<WorkflowFile>[],
  agents: CheckedAgent[],
): Definitions {
  const resolvedConfig = resolveConfig(config.data);
  const byName = new Map<string, Agent>();
  for (const a of agents)
    byName.set(a.data.name, resolveAgent(a.data, a.body, a.source.locate([])));
  const byNameSorted = (x: { name: string }, y: { name: string }) => x.name.localeCompare(y.name);
  return {
    root,
    config: resolvedConfig,
    workflows: workflows
      .map((w) => resolveWorkflow(w.data, w.source, resolvedConfig, byName))
      .sort(byNameSorted),
    agents: [...byName.values()].sort(byNameSorted),
  };
}

/**
 * The nearest directory from `startDir` upwards that holds `.keel/keel.yaml`,
 * without leaving the git repository `startDir` is in (a `.keel/` above it
 * belongs to someone else).
 */
export async function findDefinitionsRoot(startDir: string): Promise<string | undefined> {
  let dir = resolve(startDir);
  for (;;) {
    if (await exists(join(dir, CONFIG_FILE))) return dir;
    const parent = dirname(dir);
    if (parent === dir || (await exists(join(dir, '.git')))) return undefined;
    dir = parent;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/** Throws `NotInitializedError` unless `repoRoot/.keel/keel.yaml` exists. */
export async function ensureInitialized(repoRoot: string): Promise<void> {
  try {
    await access(join(repoRoot, CONFIG_FILE));
  } catch {
    throw new NotInitializedError(`no ${CONFIG_FILE} in ${resolve(repoRoot)}`, {
      hint: 'run `keel init` to write a starter set of workflows, agents and settings',
    });
  }
}

/** Loads the definitions or throws: `NotInitializedError` without keel.yaml, `DefinitionError` on any error. */
export async function requireDefinitions(repoRoot: string): Promise<Definitions> {
  await ensureInitialized(repoRoot);
  const { definitions, diagnostics } = await loadDefinitions(repoRoot);
  if (!definitions) throw new DefinitionError(diagnostics);
  return definitions;
}
