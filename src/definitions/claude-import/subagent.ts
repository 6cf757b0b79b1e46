/**
 * Reads one Claude Code subagent file (`.claude/agents/<name>.md`): YAML
 * frontmatter with `name`, `description`, optional `tools` / `disallowedTools`
 * (a comma-separated string or a list), `model` (sonnet | opus | haiku | inherit |
 * a full model id), `permissionMode`, `maxTurns`; the body is the system prompt.
 */
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import type { ImportProblem } from './errors.ts';
import { type Frontmatter, parseFrontmatter } from './frontmatter.ts';

/** A subagent as Claude Code defines it, with the keys keel can carry over. */
export interface ClaudeSubagent {
  /** The file it was read from, as given to the parser. */
  file: string;
  name: string;
  description: string;
  /** Allowed tools; undefined means "inherits every tool". */
  tools?: string[];
  disallowedTools?: string[];
  model?: string;
  permissionMode?: string;
  maxTurns?: number;
  /** Frontmatter keys keel does not carry over (reported as warnings). */
  ignoredKeys: string[];
  body: string;
}

/** Claude Code's rule for subagent names: lowercase letters, digits and hyphens. */
const NAME = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const CARRIED = new Set([
  'name',
  'description',
  'tools',
  'disallowedTools',
  'model',
  'permissionMode',
  'maxTurns',
]);

/** Parses a subagent file; returns the subagent or every problem found, located. */
export function parseSubagent(
  file: string,
  text: string,
): { ok: true; value: ClaudeSubagent } | { ok: false; problems: ImportProblem[] } {
  const parsed = parseFrontmatter(file, text);
  if (!parsed.ok) return parsed;
  const fm = parsed.value;
  const problems: ImportProblem[] = [];
  const problem = (node: Node | null | undefined, message: string): void => {
    const offset = node?.range?.[0];
    const pos = offset === undefined ? { line: 1, column: 1 } : fm.locate(offset);
    problems.push({ location: { file, ...pos }, message });
  };
  const root = fm.doc.contents;
  if (!isMap(root)) {
    problem(root, 'the frontmatter must be a mapping with at least `name` and `description`');
    return { ok: false, problems };
  }
  const valueNode = (key: string): Node | undefined => {
    const node = root.get(key, true);
    return node === undefined || node === null ? undefined : (node as Node);
  };

  const name = requiredString(fm, 'name', valueNode, problem);
  if (name !== undefined && !NAME.test(name)) {
    problem(
      valueNode('name'),
      `\`name\` ${JSON.stringify(name)} must use only lowercase letters, digits and hyphens`,
    );
  }
  const description = requiredString(fm, 'description', valueNode, problem);
  const tools = toolList('tools', valueNode('tools'), problem);
  const disallowedTools = toolList('disallowedTools', valueNode('disallowedTools'), problem);
  const model = optionalString('model', valueNode('model'), problem);
  const permissionMode = optionalString('permissionMode', valueNode('permissionMode'), problem);
  let maxTurns: number | undefined;
  const turnsNode = valueNode('maxTurns');
  if (turnsNode !== undefined) {
    const v = isScalar(turnsNode) ? turnsNode.value : undefined;
    if (typeof v === 'number' && Number.isInteger(v) && v > 0) maxTurns = v;
    else problem(turnsNode, '`maxTurns` must be a positive whole number');
  }
  const ignoredKeys: string[] = [];
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
    if (key === undefined) problem(pair.key as Node, 'frontmatter keys must be plain strings');
    else if (!CARRIED.has(key)) ignoredKeys.push(key);
  }
  if (problems.length > 0 || name === undefined || description === undefined) {
    return { ok: false, problems };
  }
  const value: ClaudeSubagent = { file, name, description, ignoredKeys, body: fm.body };
  if (tools !== undefined) value.tools = tools;
  if (disallowedTools !== undefined) value.disallowedTools = disallowedTools;
  if (model !== undefined) value.model = model;
  if (permissionMode !== undefined) value.permissionMode = permissionMode;
  if (maxTurns !== undefined) value.maxTurns = maxTurns;
  return { ok: true, value };
}

type Report = (node: Node | null | undefined, message: string) => void;

function requiredString(
  fm: Frontmatter,
  key: string,
  valueNode: (key: string) => Node | undefined,
  problem: Report,
): string | undefined {
  const node = valueNode(key);
  if (node === undefined) {
    // Point at the frontmatter itself: there is no node for a missing key.
    problem(fm.doc.contents as Node, `missing required \`${key}\``);
    return undefined;
  }
  const value = optionalString(key, node, problem);
  if (value !== undefined && value.trim() === '') {
    problem(node, `\`${key}\` must not be empty`);
    return undefined;
  }
  return value?.trim();
}

function optionalString(key: string, node: Node | undefined, problem: Report): string | undefined {
  if (node === undefined) return undefined;
  if (isScalar(node) && typeof node.value === 'string') return node.value;
  problem(node, `\`${key}\` must be a string`);
  return undefined;
}

/** Reads a tool list given as `Read, Grep, Bash(git:*)` or as a YAML list. */
function toolList(key: string, node: Node | undefined, problem: Report): string[] | undefined {
  if (node === undefined) return undefined;
  if (isScalar(node) && typeof node.value === 'string') return splitTools(node.value);
  if (isSeq(node)) {
    const tools: string[] = [];
    for (const item of node.items) {
      if (isScalar(item) && typeof item.value === 'string' && item.value.trim() !== '') {
        tools.push(item.value.trim());
      } else {
        problem(item as Node, `each entry of \`${key}\` must be a tool name`);
      }
    }
    return tools;
  }
  problem(node, `\`${key}\` must be a comma-separated string or a list of tool names`);
  return undefined;
}

/** Splits on commas outside parentheses, so `Bash(npm run a, b)` stays one tool. */
export function splitTools(value: string): string[] {
  const tools: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of value) {
    if (ch === '(') depth += 1;
    if (ch === ')') depth = Math.max(0, depth - 1);
    if (ch === ',' && depth === 0) {
      tools.push(current);
      current = '';
    } else current += ch;
  }
  tools.push(current);
  return tools.map((t) => t.trim()).filter((t) => t !== '');
}
