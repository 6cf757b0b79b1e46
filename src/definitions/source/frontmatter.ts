/**
 * Splits a markdown file into its YAML frontmatter (between `---` lines at the
 * top) and its body, keeping the frontmatter's real line numbers in the file.
 */
import type { SourceLocation } from '../../core/index.ts';
import { parseYamlSource, type YamlSource } from './yaml-source.ts';

export type FrontmatterResult =
  | { ok: true; yaml: YamlSource; body: string }
  | { ok: false; message: string; hint: string; location: SourceLocation };

/** Parses the frontmatter of a markdown text; a missing or unclosed block is a located problem. */
export function parseFrontmatter(text: string, file: string): FrontmatterResult {
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const lines = source.split(/\r?\n/);
  if (lines[0]?.trimEnd() !== '---') {
    return {
      ok: false,
      message: 'the file does not start with a `---` frontmatter block',
      hint: 'start the file with `---`, the YAML fields (name, version, category, …), then `---` and the instructions',
      location: { file, line: 1, column: 1 },
    };
  }
  const end = lines.findIndex((line, i) => i > 0 && /^(---|\.\.\.)\s*$/.test(line));
  if (end === -1) {
    return {
      ok: false,
      message: 'the frontmatter block opened on line 1 is never closed',
      hint: 'add a line with `---` after the last frontmatter field',
      location: { file, line: 1, column: 1 },
    };
  }
  const yamlText = lines.slice(1, end).join('\n');
  const body = lines
    .slice(end + 1)
    .join('\n')
    .trim();
  // Line 1 is the opening `---`, so frontmatter line 1 is file line 2.
  return { ok: true, yaml: parseYamlSource(yamlText, file, 1), body };
}
