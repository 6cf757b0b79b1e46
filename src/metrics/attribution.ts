/**
 * Decides whether a commit is AI-assisted, and by which tools and models, from
 * what git alone records: `Co-authored-by:` trailers, tool signatures, bot
 * authors, keel's own `Keel-*` trailers, and git-ai notes. A git-ai note is
 * line-level evidence written at commit time, so when a commit has one it wins
 * over every message signal.
 */
import type { AttributionPatterns, RuleField } from './attribution-patterns.ts';
import type { AuthorshipNote } from './git-ai-note.ts';

/** The commit fields attribution reads. */
export interface CommitIdentity {
  authorName: string;
  authorEmail: string;
  committerName: string;
  committerEmail: string;
  message: string;
}

/** How a commit was attributed. */
export interface Attribution {
  ai: boolean;
  tools: string[];
  models: string[];
  /** Which signals fired: rule ids, `keel-trailer`, `git-ai-note`. */
  signals: string[];
  /** True when a git-ai note decided (its lines, not the whole commit, are AI). */
  fromNote: boolean;
}

interface CompiledRule {
  id: string;
  field: RuleField;
  tool: string;
  regex: RegExp;
}

/** Patterns compiled once per run. */
export interface CompiledPatterns {
  rules: CompiledRule[];
  aliases: { tool: string; regex: RegExp }[];
}

/** Compiles a patterns table (validated already) into regular expressions. */
export function compilePatterns(patterns: AttributionPatterns): CompiledPatterns {
  return {
    rules: patterns.rules.map((r) => ({
      id: r.id,
      field: r.field,
      tool: r.tool,
      regex: new RegExp(r.pattern, r.field === 'message' ? 'imu' : 'iu'),
    })),
    aliases: patterns.toolAliases.map((a) => ({
      tool: a.tool,
      regex: new RegExp(a.pattern, 'iu'),
    })),
  };
}

/** Maps a free-text tool name to a known tool id (else its trimmed lower-case text). */
export function normaliseTool(text: string, patterns: CompiledPatterns): string {
  const trimmed = text.trim();
  for (const alias of patterns.aliases) if (alias.regex.test(trimmed)) return alias.tool;
  return trimmed.toLowerCase() || 'unknown';
}

const TRAILER = /^[ \t]*([A-Za-z][A-Za-z0-9-]*):[ \t]*(.+?)[ \t]*$/gm;

/** Every `Key: value` trailer-looking line of a message, keys lower-cased. */
export function trailers(message: string): { key: string; value: string }[] {
  const out: { key: string; value: string }[] = [];
  for (const m of message.matchAll(TRAILER))
    out.push({ key: (m[1] ?? '').toLowerCase(), value: m[2] ?? '' });
  return out;
}

/** Attributes one commit from its message and identities, or from its git-ai note when present. */
export function attributeCommit(
  commit: CommitIdentity,
  patterns: CompiledPatterns,
  note?: AuthorshipNote,
): Attribution {
  if (note) return attributeFromNote(note, patterns);
  const tools = new Set<string>();
  const models = new Set<string>();
  const signals = new Set<string>();
  const all = trailers(commit.message);
  const coAuthors = all.filter((t) => t.key === 'co-authored-by').map((t) => t.value);
  const identities = [
    `${commit.authorName} <${commit.authorEmail}>`,
    `${commit.committerName} <${commit.committerEmail}>`,
  ];
  const subjects: Record<RuleField, string[]> = {
    'co-author': coAuthors,
    message: [commit.message],
    author: identities,
  };
  for (const rule of patterns.rules) {
    for (const subject of subjects[rule.field]) {
      const m = rule.regex.exec(subject);
      if (!m) continue;
      const captured = m.groups?.tool;
      const tool = captured ? normaliseTool(captured, patterns) : rule.tool;
      tools.add(tool);
      signals.add(rule.id);
      const model = m.groups?.model?.trim();
      // A bare "Claude" names the tool, not a model.
      if (model && model.toLowerCase() !== tool) models.add(model);
    }
  }
  // keel's trailers (src/workspaces) name keel's own agent (a role such as
  // `implementer`, not a tool) and the model: the tool is keel itself.
  for (const t of all) {
    if (t.key !== 'keel-generation' && t.key !== 'keel-agent' && t.key !== 'keel-model') continue;
    signals.add('keel-trailer');
    tools.add('keel');
    if (t.key === 'keel-model') models.add(t.value);
  }
  return {
    ai: signals.size > 0,
    tools: [...tools].sort(),
    models: [...models].sort(),
    signals: [...signals].sort(),
    fromNote: false,
  };
}

/** Attribution from a git-ai note alone: AI when it attests at least one line. */
export function attributeFromNote(note: AuthorshipNote, patterns: CompiledPatterns): Attribution {
  return {
    ai: note.lineCount > 0,
    tools: note.tools
      .map((t) => normaliseTool(t, patterns))
      .filter(unique)
      .sort(),
    models: [...note.models],
    signals: ['git-ai-note'],
    fromNote: true,
  };
}

/** Combines a merge's own attribution with those of the commits it brings in. */
export function combineAttributions(
  own: Attribution,
  brought: readonly Attribution[],
): Attribution {
  const parts = [own, ...brought];
  const ai = parts.some((p) => p.ai);
  const collect = (pick: (a: Attribution) => string[]) =>
    [...new Set(parts.filter((p) => p.ai).flatMap(pick))].sort();
  return {
    ai,
    tools: collect((a) => a.tools),
    models: collect((a) => a.models),
    signals: collect((a) => a.signals),
    fromNote: own.fromNote,
  };
}

function unique<T>(value: T, index: number, list: readonly T[]): boolean {
  return list.indexOf(value) === index;
}
