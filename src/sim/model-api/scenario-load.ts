/**
 * Reads a scenario file (YAML or JSON, which is YAML too) and validates it,
 * reporting every problem with the file, line and column it comes from.
 */
import { readFile } from 'node:fs/promises';
import { isMap, isNode, isScalar, LineCounter, parseDocument } from 'yaml';
import { formatLocation, InvalidInputError, type SourceLocation } from '../../core/index.ts';
import { type Scenario, scenarioSchema } from './scenario-schema.ts';

/** One located problem in a scenario file. */
export interface ScenarioProblem {
  location: SourceLocation;
  /** Dotted path of the field, e.g. `rules[1].reply.fault`. */
  path: string;
  message: string;
}

/** A scenario file could not be read or is invalid; carries every problem found. */
export class ScenarioError extends InvalidInputError {
  readonly problems: readonly ScenarioProblem[];

  constructor(file: string, problems: readonly ScenarioProblem[]) {
    const lines = problems.map(
      (p) => `  ${formatLocation(p.location)}: ${p.path ? `${p.path}: ` : ''}${p.message}`,
    );
    super(
      `${problems.length} problem${problems.length === 1 ? '' : 's'} in scenario ${file}:\n${lines.join('\n')}`,
      { hint: 'the scenario format is described in docs/wind-tunnel.md' },
    );
    this.problems = problems;
  }
}

/** Reads and validates a scenario file. */
export async function loadScenario(file: string): Promise<Scenario> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new InvalidInputError(`cannot read scenario ${file}: ${(error as Error).message}`, {
      hint: 'check the path given to --scenario',
      cause: error,
    });
  }
  return parseScenario(text, file);
}

/** Validates scenario text (YAML or JSON); `file` is only used in locations. */
export function parseScenario(text: string, file = '<scenario>'): Scenario {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const at = (offset: number): SourceLocation => {
    const pos = lineCounter.linePos(offset);
    return { file, line: pos.line, column: pos.col };
  };
  if (doc.errors.length > 0) {
    throw new ScenarioError(
      file,
      doc.errors.map((e) => ({
        location: at(e.pos[0]),
        path: '',
        message: e.message.split('\n')[0] ?? e.message,
      })),
    );
  }
  const result = scenarioSchema.safeParse(doc.toJS() ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue): ScenarioProblem => {
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    // An unknown key is best shown at the key itself, not at the map holding it.
    const key = issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
    const offset =
      (key !== undefined ? keyOffset(doc, path, key) : undefined) ?? offsetOf(doc, path);
    return { location: at(offset), path: formatPath(path), message: issue.message };
  });
  throw new ScenarioError(file, problems);
}

/** Source offset of the deepest existing node on `path` (a missing key points at its parent). */
function offsetOf(
  doc: ReturnType<typeof parseDocument>,
  path: readonly (string | number)[],
): number {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true);
    if (isNode(node) && node.range) return node.range[0];
  }
  return 0;
}

function keyOffset(
  doc: ReturnType<typeof parseDocument>,
  path: readonly (string | number)[],
  key: string,
): number | undefined {
  const map = path.length === 0 ? doc.contents : doc.getIn(path, true);
  if (!isMap(map)) return undefined;
  const pair = map.items.find((p) => isScalar(p.key) && p.key.value === key);
  return isScalar(pair?.key) ? pair.key.range?.[0] : undefined;
}

function formatPath(path: readonly (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}
