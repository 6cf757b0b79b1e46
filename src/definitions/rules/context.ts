/** What the semantic rules see: every file that passed its schema, plus the names everything may refer to. */
import type { DiagnosticSink } from '../diagnostics.ts';
import type {
  AgentFrontmatter,
  KeelConfigFile,
  ResourceInput,
  WorkflowFile,
} from '../schemas/index.ts';
import type { FieldPath, YamlSource } from '../source/yaml-source.ts';

export interface Checked<T> {
  source: YamlSource;
  data: T;
}

export interface CheckedAgent extends Checked<AgentFrontmatter> {
  stem: string;
  body: string;
}

/** Names declared in keel.yaml; undefined when keel.yaml is missing or invalid (its checks are then skipped). */
export interface ConfigNames {
  tiers: string[];
  roles: string[];
  providers: string[];
  /** Resource id → parent id (undefined for roots). */
  resources: Map<string, string | undefined>;
}

export interface CheckContext {
  sink: DiagnosticSink;
  config: Checked<KeelConfigFile> | undefined;
  names: ConfigNames | undefined;
  workflows: Checked<WorkflowFile>[];
  agents: CheckedAgent[];
  /** Every agent name that exists, including files that failed their schema. */
  agentNames: Set<string>;
}

/** Built-in provider names usable without declaring them (keys from their usual env vars). */
export const BUILTIN_PROVIDERS = {
  anthropic: 'ANTHROPIC_API_KEY',
  openai: 'OPENAI_API_KEY',
} as const;

/** Visits every resource in a hierarchy with its field path and parent id. */
export function walkResources(
  resources: readonly ResourceInput[] | undefined,
  visit: (resource: ResourceInput, path: FieldPath, parent: string | undefined) => void,
  base: FieldPath = ['resources'],
  parent?: string,
): void {
  resources?.forEach((resource, i) => {
    const path = [...base, i];
    visit(resource, path, parent);
    walkResources(resource.children, visit, [...path, 'children'], resource.id);
  });
}

/** Reports every value that appears more than once in `items`, at its second and later occurrences. */
export function reportDuplicates(
  ctx: CheckContext,
  source: YamlSource,
  items: readonly { id: string; path: FieldPath }[],
  noun: string,
): void {
  const seen = new Map<string, FieldPath>();
  for (const item of items) {
    const first = seen.get(item.id);
    if (first === undefined) {
      seen.set(item.id, item.path);
      continue;
    }
    const firstAt = source.locate(first);
    ctx.sink.report(source, {
      rule: 'duplicate-id',
      path: item.path,
      message: `duplicate ${noun} \`${item.id}\` (first defined at line ${firstAt.line})`,
      hint: `give each ${noun} a unique id`,
    });
  }
}
