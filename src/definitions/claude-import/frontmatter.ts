/**
 * Splits a markdown file into its YAML frontmatter and body, parsing the
 * frontmatter with positions so every problem can be reported at file:line:column.
 */
import { type Document, LineCounter, parseDocument } from 'yaml';
import type { ImportProblem } from './errors.ts';

/** A parsed frontmatter block and the markdown after it. */
export interface Frontmatter {
  doc: Document.Parsed;
  /** Maps an offset inside the frontmatter text to a 1-based position in the whole file. */
  locate(offset: number): { line: number; column: number };
  /** Everything after the closing `---` line, unchanged. */
  body: string;
}

const DELIMITER = /^---[ \t]*$/;

/** Parses `text` (the content of `file`); returns the frontmatter or the problems found. */
export function parseFrontmatter(
  file: string,
  text: string,
): { ok: true; value: Frontmatter } | { ok: false; problems: ImportProblem[] } {
  const at = (line: number, column: number, message: string) => ({
    ok: false as const,
    problems: [{ location: { file, line, column }, message }],
  });
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const firstBreak = source.indexOf('\n');
  const firstLine = (firstBreak === -1 ? source : source.slice(0, firstBreak)).replace(/\r$/, '');
  if (!DELIMITER.test(firstLine)) {
    return at(1, 1, 'expected the file to start with a `---` line opening the YAML frontmatter');
  }
  const start = firstBreak + 1;
  // Find the closing delimiter line.
  let cursor = start;
  let end = -1;
  let bodyStart = source.length;
  while (cursor <= source.length && firstBreak !== -1) {
    const next = source.indexOf('\n', cursor);
    const lineEnd = next === -1 ? source.length : next;
    if (DELIMITER.test(source.slice(cursor, lineEnd).replace(/\r$/, ''))) {
      end = cursor;
      bodyStart = next === -1 ? source.length : next + 1;
      break;
    }
    if (next === -1) break;
    cursor = next + 1;
  }
  if (end === -1) {
    return at(1, 1, 'the frontmatter opened on line 1 is never closed by a `---` line');
  }
  const yamlText = source.slice(start, end);
  const lineCounter = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const locate = (offset: number) => {
    // Errors at the end of the text (an unclosed bracket) belong to its last line,
    // not to the closing delimiter.
    const pos = lineCounter.linePos(Math.max(0, Math.min(offset, yamlText.trimEnd().length - 1)));
    return { line: pos.line + 1, column: pos.col };
  };
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((e) => ({
        location: { file, ...locate(e.pos[0]) },
        message: `invalid YAML in the frontmatter: ${firstSentence(e.message)}`,
      })),
    };
  }
  return { ok: true, value: { doc, locate, body: source.slice(bodyStart) } };
}

function firstSentence(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '');
}
