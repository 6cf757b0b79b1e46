/**
 * Parses git-ai authorship logs (Git AI Standard v3, `authorship/3.0.0`, stored as
 * notes under `refs/notes/ai`): an attestation section mapping files to session
 * hashes and the line numbers (in the commit's version of the file) those
 * sessions wrote, a `---` divider, then JSON metadata naming each session's tool
 * and model.
 */

/** One AI session of a note. */
export interface NoteSession {
  tool: string;
  model: string | undefined;
}

/** The AI-written lines of one commit, by file, with the sessions that wrote them. */
export interface AuthorshipNote {
  /** Path → sorted, merged, 1-based inclusive ranges of AI-written lines. */
  files: Map<string, [number, number][]>;
  /** Tools and models of the sessions that have at least one attested line. */
  tools: string[];
  models: string[];
  /** Number of attested lines over all files. */
  lineCount: number;
}

interface Metadata {
  schema_version?: unknown;
  prompts?: Record<string, { agent_id?: { tool?: unknown; model?: unknown } }>;
}

/**
 * Parses one note; returns undefined when it is not an authorship/3.x log (other
 * tools may share the ref), so the commit falls back to its message signals.
 */
export function parseAuthorshipNote(text: string): AuthorshipNote | undefined {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const divider = lines.indexOf('---');
  if (divider < 0) return undefined;
  let metadata: Metadata;
  try {
    metadata = JSON.parse(lines.slice(divider + 1).join('\n')) as Metadata;
  } catch {
    return undefined;
  }
  if (
    typeof metadata.schema_version !== 'string' ||
    !/^authorship\/3\./.test(metadata.schema_version)
  )
    return undefined;
  const prompts = metadata.prompts ?? {};
  const files = new Map<string, [number, number][]>();
  const usedSessions = new Set<string>();
  let current: [number, number][] | undefined;
  for (const line of lines.slice(0, divider)) {
    if (line.trim() === '') continue;
    if (!line.startsWith(' ')) {
      const path = unquotePath(line);
      current = files.get(path) ?? [];
      files.set(path, current);
      continue;
    }
    const entry = /^ {2}([0-9a-f]+) (\S+)$/i.exec(line);
    if (!entry || !current) continue;
    const ranges = parseRanges(entry[2] ?? '');
    if (ranges.length === 0) continue;
    usedSessions.add(entry[1] ?? '');
    current.push(...ranges);
  }
  let lineCount = 0;
  for (const [path, ranges] of files) {
    const merged = mergeRanges(ranges);
    if (merged.length === 0) files.delete(path);
    else files.set(path, merged);
    for (const [a, b] of merged) lineCount += b - a + 1;
  }
  const tools = new Set<string>();
  const models = new Set<string>();
  for (const hash of usedSessions) {
    const agent = prompts[hash]?.agent_id;
    tools.add(typeof agent?.tool === 'string' && agent.tool !== '' ? agent.tool : 'unknown');
    if (typeof agent?.model === 'string' && agent.model !== '') models.add(agent.model);
  }
  return { files, tools: [...tools].sort(), models: [...models].sort(), lineCount };
}

/** True when `line` (1-based) of `path` is attested as AI-written. */
export function noteCoversLine(note: AuthorshipNote, path: string, line: number): boolean {
  const ranges = note.files.get(path);
  if (!ranges) return false;
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const range = ranges[mid] as [number, number];
    if (line < range[0]) hi = mid - 1;
    else if (line > range[1]) lo = mid + 1;
    else return true;
  }
  return false;
}

function parseRanges(spec: string): [number, number][] {
  const out: [number, number][] = [];
  for (const part of spec.split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) continue;
    const start = Number(m[1]);
    const end = m[2] === undefined ? start : Number(m[2]);
    if (start >= 1 && end >= start) out.push([start, end]);
  }
  return out;
}

function mergeRanges(ranges: [number, number][]): [number, number][] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [a, b] of sorted) {
    const last = out[out.length - 1];
    if (last && a <= last[1] + 1) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

// The standard wraps paths with spaces in double quotes and forbids quotes inside.
function unquotePath(line: string): string {
  const trimmed = line.trimEnd();
  return trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"')
    ? trimmed.slice(1, -1)
    : trimmed;
}
