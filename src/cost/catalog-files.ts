/**
 * The catalog's I/O edge: reads the `models:` list of .keel/keel.yaml and of the
 * price files under .keel/prices/, and writes .keel/prices/imported.yaml
 * atomically. (Until src/definitions exposes keel.yaml, this small adapter reads
 * the one list it needs with the `yaml` package.)
 */
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { InvalidInputError } from '../core/index.ts';
import { buildCatalog, type ModelOverride } from './catalog.ts';
import type { PriceCatalog } from './catalog-types.ts';
import { type ModelConfig, parseModelList } from './model-config.ts';

/** Where imported price files live, relative to the repository. */
export const PRICES_DIR = join('.keel', 'prices');
export const IMPORTED_FILE = join(PRICES_DIR, 'imported.yaml');
const KEEL_YAML = join('.keel', 'keel.yaml');

function readYaml(path: string, display: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new InvalidInputError(`cannot read ${display}`, { cause: error });
  }
  try {
    return parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new InvalidInputError(`${display} is not valid YAML: ${message}`, {
      hint: 'fix the YAML syntax at the line shown',
    });
  }
}

function modelsOf(
  path: string,
  display: string,
  origin: 'imported' | 'keel.yaml',
): ModelOverride[] {
  const doc = readYaml(path, display);
  const raw =
    typeof doc === 'object' && doc !== null ? (doc as { models?: unknown }).models : undefined;
  const parsed = parseModelList(raw, origin, display);
  if (!parsed.ok) {
    const lines = parsed.problems.map((p) => `${display}: ${p.path}: ${p.message}`);
    throw new InvalidInputError(`invalid models in ${display}:\n  ${lines.join('\n  ')}`, {
      hint: 'see docs/cost.md for the `models:` entry format',
    });
  }
  return parsed.overrides;
}

/** Reads the `models:` overrides of .keel/keel.yaml (none when the file is absent). */
export function readConfiguredModels(cwd: string): ModelOverride[] {
  const path = join(cwd, KEEL_YAML);
  return existsSync(path) ? modelsOf(path, KEEL_YAML, 'keel.yaml') : [];
}

/** Reads every price file under .keel/prices/, in name order. */
export function readImportedModels(cwd: string): ModelOverride[] {
  const dir = join(cwd, PRICES_DIR);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .flatMap((f) => modelsOf(join(dir, f), join(PRICES_DIR, f), 'imported'));
}

/** The effective catalog of a repository: built-in + .keel/prices/* + keel.yaml `models:`. */
export function loadCatalog(cwd: string): PriceCatalog {
  return buildCatalog({ imported: readImportedModels(cwd), configured: readConfiguredModels(cwd) });
}

/** The raw entries of .keel/prices/imported.yaml, to extend its history on the next import. */
export function readImportedFile(cwd: string): ModelConfig[] {
  const path = join(cwd, IMPORTED_FILE);
  if (!existsSync(path)) return [];
  const doc = readYaml(path, IMPORTED_FILE) as { models?: ModelConfig[] } | null;
  return doc?.models ?? [];
}

/** Writes imported.yaml through a temporary file and a rename, so it is never half-written. */
export function writeImportedFile(
  cwd: string,
  models: readonly ModelConfig[],
  header: string,
): string {
  const dir = join(cwd, PRICES_DIR);
  mkdirSync(dir, { recursive: true });
  const path = join(cwd, IMPORTED_FILE);
  const tmp = `${path}.${process.pid}.tmp`;
  const body = stringify({ models }, { lineWidth: 0 });
  writeFileSync(
    tmp,
    `${header
      .split('\n')
      .map((l) => `# ${l}`)
      .join('\n')}\n${body}`,
  );
  renameSync(tmp, path);
  return path;
}
