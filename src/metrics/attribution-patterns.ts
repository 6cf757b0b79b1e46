/**
 * The one data table of AI-authorship signals keel recognises in commits, and the
 * loader for a user's own table (`keel report --patterns FILE`, JSON or YAML).
 * Keeping the signals as data means a `metrics.attribution` section of keel.yaml
 * can later feed the same loader without touching the matching code.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { InvalidInputError } from '../core/index.ts';

/** Where a rule looks: a `Co-authored-by:` value, the whole message, or the author/committer identity. */
export const RULE_FIELDS = ['co-author', 'message', 'author'] as const;
export type RuleField = (typeof RULE_FIELDS)[number];

/**
 * One signal. `pattern` is a case-insensitive regular expression; a named group
 * `model` captures the model, a named group `tool` overrides `tool` (normalised
 * through the tool aliases).
 */
export interface AttributionRule {
  id: string;
  field: RuleField;
  tool: string;
  pattern: string;
}

/** Maps free text (a captured tool name, a git-ai `agent_id.tool`) to a tool id. */
export interface ToolAlias {
  tool: string;
  pattern: string;
}

export interface AttributionPatterns {
  rules: readonly AttributionRule[];
  toolAliases: readonly ToolAlias[];
}

/** The known assistants' trailers, signatures and bot identities. */
export const DEFAULT_RULES: readonly AttributionRule[] = [
  // Co-authored-by: trailers, matched against `Name <email>`.
  {
    id: 'claude-co-author',
    field: 'co-author',
    tool: 'claude',
    pattern: '^(?<model>claude[^<]*?)\\s*<[^>]*@anthropic\\.com>|<noreply@anthropic\\.com>',
  },
  {
    id: 'copilot-co-author',
    field: 'co-author',
    tool: 'copilot',
    pattern: '^(github )?copilot\\b|copilot@github\\.com|\\bcopilot@users\\.noreply\\.github\\.com',
  },
  {
    id: 'cursor-co-author',
    field: 'co-author',
    tool: 'cursor',
    pattern: '^cursor( agent)?\\s*<|cursoragent@cursor\\.com',
  },
  {
    id: 'codex-co-author',
    field: 'co-author',
    tool: 'codex',
    pattern: '^(openai )?codex\\b|codex@openai\\.com',
  },
  {
    id: 'gemini-co-author',
    field: 'co-author',
    tool: 'gemini',
    pattern: '^(google )?gemini( cli| code assist)?\\s*<|gemini-code-assist',
  },
  { id: 'amp-co-author', field: 'co-author', tool: 'amp', pattern: '^amp\\s*<|@ampcode\\.com>' },
  { id: 'aider-co-author', field: 'co-author', tool: 'aider', pattern: '^aider\\b|@aider\\.chat>' },
  {
    id: 'devin-co-author',
    field: 'co-author',
    tool: 'devin',
    pattern: '^devin( ai)?\\s*<|devin-ai-integration',
  },
  {
    id: 'opencode-co-author',
    field: 'co-author',
    tool: 'opencode',
    pattern: '^opencode\\b|@opencode\\.ai>|opencode@sst\\.dev',
  },
  {
    id: 'windsurf-co-author',
    field: 'co-author',
    tool: 'windsurf',
    pattern: '^(windsurf|cascade)\\b|@windsurf\\.com>|@codeium\\.com>',
  },
  { id: 'jules-co-author', field: 'co-author', tool: 'jules', pattern: '^jules\\b' },
  // Tool signatures in messages.
  {
    id: 'claude-code-signature',
    field: 'message',
    tool: 'claude',
    pattern: 'generated with \\[?claude code',
  },
  {
    id: 'robot-signature',
    field: 'message',
    tool: 'unknown',
    pattern: '🤖 generated (?:with|by) \\[?(?<tool>[^\\]\\n(]+?)\\]?(?:\\(|\\n|$)',
  },
  {
    id: 'aider-signature',
    field: 'message',
    tool: 'aider',
    pattern: '^aider: ',
  },
  // Bot authors and author suffixes, matched against `Name <email>` of author and committer.
  { id: 'copilot-bot', field: 'author', tool: 'copilot', pattern: 'copilot-swe-agent\\[bot\\]' },
  { id: 'devin-bot', field: 'author', tool: 'devin', pattern: 'devin-ai-integration\\[bot\\]' },
  { id: 'cursor-bot', field: 'author', tool: 'cursor', pattern: '^cursor(agent)?\\[bot\\]' },
  {
    id: 'codex-bot',
    field: 'author',
    tool: 'codex',
    pattern: '^(openai-)?codex\\[bot\\]|chatgpt-codex-connector\\[bot\\]',
  },
  { id: 'claude-bot', field: 'author', tool: 'claude', pattern: '^claude\\[bot\\]' },
  { id: 'jules-bot', field: 'author', tool: 'jules', pattern: 'google-labs-jules\\[bot\\]' },
  { id: 'gemini-bot', field: 'author', tool: 'gemini', pattern: 'gemini-code-assist\\[bot\\]' },
  { id: 'aider-suffix', field: 'author', tool: 'aider', pattern: '\\(aider\\)\\s*<' },
];

/** Free-text tool names, first match wins; unmatched text is kept, lower-cased. */
export const DEFAULT_TOOL_ALIASES: readonly ToolAlias[] = [
  { tool: 'claude', pattern: 'claude' },
  { tool: 'copilot', pattern: 'copilot' },
  { tool: 'cursor', pattern: 'cursor' },
  { tool: 'codex', pattern: 'codex' },
  { tool: 'gemini', pattern: 'gemini' },
  { tool: 'amp', pattern: '^amp\\b' },
  { tool: 'aider', pattern: 'aider' },
  { tool: 'devin', pattern: 'devin' },
  { tool: 'opencode', pattern: 'opencode' },
  { tool: 'windsurf', pattern: 'windsurf|cascade' },
  { tool: 'jules', pattern: 'jules' },
];

/** The built-in table. */
export const DEFAULT_PATTERNS: AttributionPatterns = {
  rules: DEFAULT_RULES,
  toolAliases: DEFAULT_TOOL_ALIASES,
};

const ruleSchema = z.strictObject({
  id: z.string().min(1),
  field: z.enum(RULE_FIELDS),
  tool: z.string().min(1),
  pattern: z.string().min(1),
});
const aliasSchema = z.strictObject({ tool: z.string().min(1), pattern: z.string().min(1) });
const fileSchema = z.strictObject({
  /** When true the file's rules replace the built-in table instead of extending it. */
  replaceDefaults: z.boolean().optional(),
  rules: z.array(ruleSchema).optional(),
  toolAliases: z.array(aliasSchema).optional(),
});

/** Parses and validates a patterns document; `source` names it in error messages. */
export function parsePatterns(text: string, source: string): AttributionPatterns {
  let raw: unknown;
  try {
    raw = source.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new InvalidInputError(`${source}: not valid JSON or YAML (${(error as Error).message})`, {
      hint: 'the patterns file is an object with `rules: [{id, field, tool, pattern}]`',
    });
  }
  const result = fileSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue?.path.join('.') || '(top level)';
    throw new InvalidInputError(`${source}: ${where}: ${issue?.message ?? 'invalid'}`, {
      hint: `field is one of ${RULE_FIELDS.join(', ')}; each rule needs id, field, tool and pattern`,
    });
  }
  const file = result.data;
  const entries: [string, { pattern: string }[]][] = [
    ['rules', file.rules ?? []],
    ['toolAliases', file.toolAliases ?? []],
  ];
  for (const [key, list] of entries)
    list.forEach((entry, index) => {
      try {
        new RegExp(entry.pattern, 'iu');
      } catch (error) {
        throw new InvalidInputError(
          `${source}: ${key}.${index}.pattern is not a valid regular expression: ${(error as Error).message}`,
          { hint: 'patterns are JavaScript regular expressions, matched case-insensitively' },
        );
      }
    });
  const base = file.replaceDefaults ? { rules: [], toolAliases: [] } : DEFAULT_PATTERNS;
  return {
    rules: [...(file.rules ?? []), ...base.rules],
    toolAliases: [...(file.toolAliases ?? []), ...base.toolAliases],
  };
}

/** Reads a patterns file (JSON when it ends in `.json`, else YAML). */
export function loadPatternsFile(path: string): AttributionPatterns {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new InvalidInputError(`cannot read patterns file ${path}: ${(error as Error).message}`, {
      hint: 'pass an existing JSON or YAML file to --patterns',
    });
  }
  return parsePatterns(text, path);
}
