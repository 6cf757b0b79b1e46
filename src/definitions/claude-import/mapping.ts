/**
 * Decides what a Claude Code subagent becomes in keel: its tier from the model,
 * its category from its name and description, and what it may write. Pure
 * functions; conservative where the source says nothing.
 */
import type { AgentCategory } from '../../core/index.ts';
import type { ClaudeSubagent } from './subagent.ts';

/** The keel agent frontmatter produced by an import, in the order it is written. */
export interface ImportedAgent {
  name: string;
  version: 1;
  category: AgentCategory;
  description: string;
  access: { write: string[]; resources: string[] };
  runtime:
    | 'claude-code'
    | {
        kind: 'claude-code';
        max_turns?: number;
        allowed_tools?: string[];
        disallowed_tools?: string[];
        permission_mode?: string;
      };
  tier: string;
}

/** An import decision worth telling the user about. */
export interface MappingNote {
  file: string;
  message: string;
}

/** Maps Claude Code's `model` to a keel tier: haiku → economy, sonnet → standard, opus → frontier. */
export function tierForModel(model: string | undefined): { tier: string; known: boolean } {
  if (model === undefined || model === 'inherit') return { tier: 'standard', known: true };
  const m = model.toLowerCase();
  // Full ids (claude-3-5-haiku-…, claude-opus-4-…) name their family inside.
  if (/(^|[^a-z])haiku([^a-z]|$)/.test(m)) return { tier: 'economy', known: true };
  if (/(^|[^a-z])sonnet([^a-z]|$)/.test(m)) return { tier: 'standard', known: true };
  if (/(^|[^a-z])opus([^a-z]|$)/.test(m)) return { tier: 'frontier', known: true };
  return { tier: 'standard', known: false };
}

// The role word that comes first wins ("Builds endpoints and their tests" is an
// implementer, "Reviews code and suggests fixes" a verifier); on a tie, the rule
// listed first. The name is tried before the description, because descriptions
// mention other roles ("hands off to the reviewer") while names rarely do.
const CATEGORY_RULES: ReadonlyArray<readonly [AgentCategory, RegExp]> = [
  ['verifier', /\b(review\w*|audit\w*|critic\w*|verif\w*|validat\w*|checker|lint\w*|inspector)\b/],
  ['qa', /\b(tests?|tester|testing|qa|quality)\b/],
  ['diagnostician', /\b(debug\w*|diagnos\w*|troubleshoot\w*|incidents?|root[- ]cause)\b/],
  ['architect', /\b(architect\w*|system[- ]design)\b/],
  ['design', /\b(ui|ux|designer)\b/],
  ['specifier', /\b(specs?|specifications?|specifier|requirements?)\b/],
  ['documenter', /\b(docs?|documentation|documenter|readme|technical[- ]writer)\b/],
  ['writer', /\b(writer|copywriter|copy|blog|content)\b/],
  ['deployer', /\b(deploy\w*|release\w*|devops|ci|cd|infra|infrastructure)\b/],
  ['monitor', /\b(monitor\w*|observability|alert\w*|sre)\b/],
  ['analyst', /\b(analy\w*|research\w*|explor\w*|investigat\w*)\b/],
  ['product', /\b(product|roadmap|pm)\b/],
  [
    'implementer',
    /\b(build\w*|implement\w*|develop\w*|engineer\w*|coder|programmer|fix\w*|refactor\w*)\b/,
  ],
];

/** Infers a keel category from a subagent's name, then its description; implementer by default. */
export function inferCategory(name: string, description: string): AgentCategory {
  for (const text of [name.replace(/[-_]+/g, ' '), description]) {
    const lower = text.toLowerCase();
    let best: { category: AgentCategory; index: number } | undefined;
    for (const [category, pattern] of CATEGORY_RULES) {
      const index = lower.search(pattern);
      if (index !== -1 && (best === undefined || index < best.index)) best = { category, index };
    }
    if (best) return best.category;
  }
  return 'implementer';
}

const WRITE_TOOLS = new Set(['Write', 'Edit', 'MultiEdit', 'NotebookEdit']);

/** Paths an imported agent may write: nothing for reviewers and read-only tool sets. */
export function inferWrite(
  category: AgentCategory,
  tools: readonly string[] | undefined,
): string[] {
  // An explicit tool list without any editing tool cannot write files anyway.
  if (tools !== undefined && !tools.some((t) => WRITE_TOOLS.has(toolBase(t)))) return [];
  switch (category) {
    case 'implementer':
      return ['src/**', 'test/**'];
    case 'qa':
      return ['test/**'];
    case 'documenter':
    case 'writer':
      return ['docs/**', 'README.md'];
    default:
      // Reviewers, analysts, architects, deployers …: their output is an artifact
      // or a verdict, never a change to the working tree.
      return [];
  }
}

function toolBase(tool: string): string {
  const paren = tool.indexOf('(');
  return paren === -1 ? tool : tool.slice(0, paren);
}

/** Turns a parsed subagent into keel agent frontmatter, with notes on every lossy decision. */
export function toKeelAgent(sub: ClaudeSubagent): { agent: ImportedAgent; notes: MappingNote[] } {
  const notes: MappingNote[] = [];
  const note = (message: string) => notes.push({ file: sub.file, message });
  const category = inferCategory(sub.name, sub.description);
  const { tier, known } = tierForModel(sub.model);
  if (!known) note(`unknown model ${JSON.stringify(sub.model)}: tier set to standard`);
  const runtime: Exclude<ImportedAgent['runtime'], string> = { kind: 'claude-code' };
  if (sub.maxTurns !== undefined) runtime.max_turns = sub.maxTurns;
  if (sub.tools !== undefined) runtime.allowed_tools = sub.tools;
  if (sub.disallowedTools !== undefined) runtime.disallowed_tools = sub.disallowedTools;
  if (sub.permissionMode !== undefined) {
    // Skipping every permission prompt is a decision a person makes in review,
    // not one an import copies silently.
    if (sub.permissionMode === 'bypassPermissions') {
      note('permissionMode bypassPermissions was not carried over; set it by hand if you mean it');
    } else runtime.permission_mode = sub.permissionMode;
  }
  for (const key of sub.ignoredKeys)
    note(`frontmatter key \`${key}\` has no keel equivalent and was not carried over`);
  const simple = Object.keys(runtime).length === 1;
  return {
    agent: {
      name: sub.name,
      version: 1,
      category,
      description: sub.description,
      access: { write: inferWrite(category, sub.tools), resources: [] },
      runtime: simple ? 'claude-code' : runtime,
      tier,
    },
    notes,
  };
}
