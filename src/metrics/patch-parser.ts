/**
 * An incremental parser of `git log -p` output in the format keel asks for
 * (`--format=%x00%H %ct`): text arrives in arbitrary chunks and each commit is
 * handed on, with its file diffs and hunks, as soon as the next one starts. Hunk
 * line counts delimit hunks, so content lines can never be mistaken for headers.
 */

export interface Hunk {
  oldStart: number;
  oldCount: number;
  newStart: number;
  newCount: number;
  /** Content lines with their prefix: ' ' context, '-' removed, '+' added. */
  lines: string[];
}

export interface FileDiff {
  /** Null when the file is created. */
  oldPath: string | null;
  /** Null when the file is deleted. */
  newPath: string | null;
  binary: boolean;
  /** Git links (submodules) have no lines of their own. */
  submodule: boolean;
  hunks: Hunk[];
}

export interface PatchCommit {
  sha: string;
  /** Committer time, seconds since the epoch. */
  commitTime: number;
  files: FileDiff[];
}

const HUNK = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

/** Feeds `git log -p` text in, calls `onCommit` with each complete commit. */
export class PatchParser {
  private carry = '';
  private commit: PatchCommit | undefined;
  private file: FileDiff | undefined;
  private hunk: Hunk | undefined;
  private oldLeft = 0;
  private newLeft = 0;
  private readonly onCommit: (commit: PatchCommit) => void;

  constructor(onCommit: (commit: PatchCommit) => void) {
    this.onCommit = onCommit;
  }

  /** Consumes a chunk of output. */
  push(chunk: string): void {
    const text = this.carry + chunk;
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) break;
      this.line(text.slice(start, nl));
      start = nl + 1;
    }
    this.carry = text.slice(start);
  }

  /** Flushes the last commit. */
  end(): void {
    if (this.carry !== '') this.line(this.carry);
    this.carry = '';
    this.flushCommit();
  }

  private line(line: string): void {
    if (this.hunk && (this.oldLeft > 0 || this.newLeft > 0 || line.startsWith('\\'))) {
      const c = line.charCodeAt(0);
      // '\ No newline at end of file' belongs to the hunk but is not a line.
      if (c === 92) return;
      this.hunk.lines.push(line);
      if (c === 45) this.oldLeft--;
      else if (c === 43) this.newLeft--;
      else {
        this.oldLeft--;
        this.newLeft--;
      }
      return;
    }
    this.hunk = undefined;
    if (line.charCodeAt(0) === 0) {
      this.flushCommit();
      const space = line.indexOf(' ');
      this.commit = {
        sha: line.slice(1, space),
        commitTime: Number(line.slice(space + 1)),
        files: [],
      };
      return;
    }
    if (line.startsWith('diff --git ')) {
      this.file = {
        ...headerPaths(line.slice(11)),
        binary: false,
        submodule: false,
        hunks: [],
      };
      this.commit?.files.push(this.file);
      return;
    }
    const file = this.file;
    if (!file) return;
    if (line.startsWith('@@ ')) {
      const m = HUNK.exec(line);
      if (!m) return;
      this.hunk = {
        oldStart: Number(m[1]),
        oldCount: m[2] === undefined ? 1 : Number(m[2]),
        newStart: Number(m[3]),
        newCount: m[4] === undefined ? 1 : Number(m[4]),
        lines: [],
      };
      this.oldLeft = this.hunk.oldCount;
      this.newLeft = this.hunk.newCount;
      file.hunks.push(this.hunk);
      return;
    }
    if (file.hunks.length > 0) return;
    if (line.startsWith('--- ')) file.oldPath = patchPath(line.slice(4), 'a/');
    else if (line.startsWith('+++ ')) file.newPath = patchPath(line.slice(4), 'b/');
    else if (line.startsWith('rename from ')) file.oldPath = unquote(line.slice(12));
    else if (line.startsWith('rename to ')) file.newPath = unquote(line.slice(10));
    else if (line.startsWith('new file mode ')) {
      file.oldPath = null;
      if (line.endsWith('160000')) file.submodule = true;
    } else if (line.startsWith('deleted file mode ')) {
      file.newPath = null;
      if (line.endsWith('160000')) file.submodule = true;
    } else if (line.startsWith('index ') && line.endsWith(' 160000')) file.submodule = true;
    else if (line.startsWith('Binary files ') || line === 'GIT binary patch') file.binary = true;
  }

  private flushCommit(): void {
    if (this.commit) this.onCommit(this.commit);
    this.commit = undefined;
    this.file = undefined;
    this.hunk = undefined;
  }
}

/**
 * Paths from `diff --git a/X b/Y`. Exact only when X and Y are equal (or quoted);
 * renames, creations and deletions are corrected by the lines that follow.
 */
function headerPaths(rest: string): { oldPath: string | null; newPath: string | null } {
  if (rest.startsWith('"')) {
    const first = readQuoted(rest, 0);
    const second = rest.slice(first.end + 1);
    const b = second.startsWith('"') ? readQuoted(second, 0).value : second;
    return { oldPath: first.value.slice(2), newPath: b.slice(2) };
  }
  if ((rest.length - 5) % 2 === 0) {
    const half = (rest.length - 5) / 2;
    const a = rest.slice(2, 2 + half);
    if (rest.slice(2 + half) === ` b/${a}`) return { oldPath: a, newPath: a };
  }
  const split = rest.indexOf(' b/');
  const a = rest.slice(2, split < 0 ? undefined : split);
  const b = split < 0 ? a : rest.slice(split + 3);
  return { oldPath: a, newPath: b };
}

// Git appends a TAB after a `---`/`+++` path that contains a space.
function patchPath(raw: string, prefix: string): string | null {
  const text = raw.endsWith('\t') ? raw.slice(0, -1) : raw;
  if (text === '/dev/null') return null;
  const path = unquote(text);
  return path.startsWith(prefix) ? path.slice(prefix.length) : path;
}

/** Undoes git's C-style quoting of unusual paths. */
export function unquote(text: string): string {
  return text.startsWith('"') ? readQuoted(text, 0).value : text;
}

const ESCAPES: Record<string, number> = { n: 10, t: 9, r: 13, a: 7, b: 8, f: 12, v: 11 };

function readQuoted(text: string, from: number): { value: string; end: number } {
  const bytes: number[] = [];
  let i = from + 1;
  while (i < text.length && text[i] !== '"') {
    const ch = text[i] as string;
    if (ch === '\\') {
      const next = text[i + 1] ?? '';
      if (/[0-7]/.test(next)) {
        bytes.push(Number.parseInt(text.slice(i + 1, i + 4), 8));
        i += 4;
        continue;
      }
      bytes.push(ESCAPES[next] ?? next.charCodeAt(0));
      i += 2;
      continue;
    }
    for (const b of Buffer.from(ch, 'utf8')) bytes.push(b);
    i++;
  }
  return { value: Buffer.from(bytes).toString('utf8'), end: i + 1 };
}
