/**
 * Loads a scenario file (YAML or JSON) and validates it, reporting every
 * problem with its file, line and column, or the built-in default scenario.
 */
import { readFileSync } from 'node:fs';
import { isMap, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import { formatLocation, InvalidInputError, type SourceLocation } from '../../core/index.ts';
import { DEFAULT_SCENARIO } from './default-scenario.ts';
import { type SimScenario, scenarioSchema } from './scenario-schema.ts';

/** Reads and validates the scenario at `file`. */
export function loadScenarioFile(file: string): SimScenario {
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch (error) {
    throw new InvalidInputError(
      `cannot read the scenario file ${file}: ${(error as Error).message}`,
      {
        hint: 'set KEEL_SIM_SCENARIO (or --scenario) to an existing YAML or JSON file',
      },
    );
  }
  return parseScenario(source, file);
}

/** Parses and validates scenario text; `file` names it in messages. */
export function parseScenario(source: string, file: string): SimScenario {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, prettyErrors: false });
  const at = (offset: number): SourceLocation => {
    const pos = lineCounter.linePos(offset);
    return { file, line: pos.line, column: pos.col };
  };
  if (doc.errors.length > 0) {
    const problems = doc.errors.map(
      (e) => `${formatLocation(at(e.pos[0]))}: ${e.message.split('\n')[0]}`,
    );
    throw invalid(file, problems);
  }
  const parsed = scenarioSchema.safeParse(doc.toJS());
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    // An unknown key is best shown where the key is written.
    const unknownKey = issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
    if (unknownKey !== undefined) path.push(unknownKey);
    const node = nearestNode(doc.contents as Node | null, path, unknownKey !== undefined);
    const where = node?.range ? formatLocation(at(node.range[0])) : `${file}:1:1`;
    const field = path.length > 0 ? `${dotted(path)}: ` : '';
    return `${where}: ${field}${issue.message}`;
  });
  throw invalid(file, problems);
}

/** The scenario named by `KEEL_SIM_SCENARIO` (or `--scenario`), else the default. */
export function resolveScenario(file: string | undefined): SimScenario {
  return file ? loadScenarioFile(file) : DEFAULT_SCENARIO;
}

function invalid(file: string, problems: string[]): InvalidInputError {
  const n = problems.length;
  return new InvalidInputError(
    `${n} problem${n === 1 ? '' : 's'} in the scenario ${file}:\n  ${problems.join('\n  ')}`,
    { hint: 'see docs/coding-agents.md for the scenario format' },
  );
}

/** The deepest node of the document along `path` (the parent when the key is missing). */
function nearestNode(
  root: Node | null,
  path: readonly (string | number)[],
  keyOfLast = false,
): Node | undefined {
  let node: Node | null | undefined = root;
  let found: Node | undefined = root ?? undefined;
  for (const [i, key] of path.entries()) {
    if (isMap(node)) {
      const pair: { key: unknown; value: unknown } | undefined = node.items.find(
        (p) => (p.key as { value?: unknown } | null)?.value === key,
      );
      const wantKey = keyOfLast && i === path.length - 1;
      node = wantKey
        ? (pair?.key as Node | undefined)
        : ((pair?.value as Node | null | undefined) ?? (pair?.key as Node | undefined));
    } else if (isSeq(node) && typeof key === 'number') {
      node = node.items[key] as Node | undefined;
    } else {
      node = undefined;
    }
    if (!node) break;
    found = node;
  }
  return found;
}

function dotted(path: readonly (string | number)[]): string {
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${p}`))
    .join('');
}
