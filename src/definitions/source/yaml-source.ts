/**
 * A parsed YAML text that remembers where every node came from, so that a
 * problem found at a field path (`passes[1].gates[0].review.agent`) is reported
 * at the right file:line:column. Built on the `yaml` document API.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import type { SourceLocation } from '../../core/index.ts';

export type PathSegment = string | number;
export type FieldPath = readonly PathSegment[];

/** Where to point for a path: at the key (`name:`) or at its value. */
export type Anchor = 'key' | 'value';

export interface SyntaxProblem {
  message: string;
  location: SourceLocation;
}

/** One YAML document with its source positions. */
export interface YamlSource {
  /** Path of the file relative to the repository root, as shown to users. */
  readonly file: string;
  /** The plain JavaScript value of the document (undefined for an empty document). */
  readonly data: unknown;
  /** Syntax errors; when non-empty `data` must not be trusted. */
  readonly problems: readonly SyntaxProblem[];
  /** The location of the node at `path`, or of its nearest existing ancestor. */
  locate(path: FieldPath, anchor?: Anchor): SourceLocation;
}

/**
 * Parses `text` as one YAML document. `lineOffset` shifts reported lines for
 * YAML embedded in another file (an agent's frontmatter starts after `---`).
 */
export function parseYamlSource(text: string, file: string, lineOffset = 0): YamlSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter,
    prettyErrors: false,
    uniqueKeys: true,
    // `<<` merge keys let authors share blocks (roles, modes) without repeating them.
    merge: true,
  });
  const at = (offset: number): SourceLocation => {
    const { line, col } = lineCounter.linePos(Math.max(0, Math.min(offset, text.length)));
    return { file, line: Math.max(1, line) + lineOffset, column: Math.max(1, col) };
  };
  const problems = doc.errors.map((error) => ({
    message: firstLine(error.message),
    location: at(error.pos[0]),
  }));
  const data = problems.length === 0 ? doc.toJS({ maxAliasCount: 100 }) : undefined;
  return {
    file,
    data,
    problems,
    locate(path, anchor = 'value') {
      let node: Node | null | undefined = doc.contents as Node | null;
      let keyNode: Node | undefined;
      for (const segment of path) {
        const next = child(node, segment);
        if (next === undefined) break;
        node = next.value;
        keyNode = next.key;
      }
      const target = anchor === 'key' && keyNode ? keyNode : (node ?? keyNode);
      return at(target?.range?.[0] ?? 0);
    },
  };
}

function child(
  node: Node | null | undefined,
  segment: PathSegment,
): { key: Node | undefined; value: Node | null } | undefined {
  if (isMap(node)) {
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const key = pair.key as Node | null;
      const keyValue = isScalar(key) ? key.value : key;
      if (String(keyValue) === String(segment)) {
        // A key with no value (`agent:`) has a null value node: point at the key.
        return { key: key ?? undefined, value: (pair.value as Node | null) ?? key };
      }
    }
    return undefined;
  }
  if (isSeq(node) && typeof segment === 'number') {
    const item = node.items[segment] as Node | undefined;
    return item === undefined ? undefined : { key: undefined, value: item };
  }
  return undefined;
}

function firstLine(message: string): string {
  return message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? message;
}
