/**
 * `keel prices import`: a LiteLLM price map file in, .keel/prices/imported.yaml
 * out. Every entry is checked before anything is written; the new prices join
 * the history already imported (a same-day price of the same model is replaced),
 * so earlier imports keep pricing the calls made under them.
 */
import { readFileSync } from 'node:fs';
import { InvalidInputError } from '../core/index.ts';
import { buildCatalog, findModel, utcDay } from './catalog.ts';
import { readConfiguredModels, readImportedFile, writeImportedFile } from './catalog-files.ts';
import { importLiteLLM, type LiteLLMImportProblem } from './litellm-import.ts';
import { type ModelConfig, parseModelList } from './model-config.ts';

export interface PriceImportResult {
  file: string;
  effective: string;
  /** Absolute path written, or null when nothing was (errors, or a dry run). */
  written: string | null;
  imported: { provider: string; id: string; tier?: string }[];
  skipped: LiteLLMImportProblem[];
  errors: LiteLLMImportProblem[];
}

/** Imports a LiteLLM map into `root`/.keel/prices/imported.yaml; writes nothing if any entry is invalid. */
export function importPriceFile(
  root: string,
  file: string,
  displayName: string,
  now: Date,
  options: { dryRun?: boolean } = {},
): PriceImportResult {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new InvalidInputError(`cannot read ${displayName}`, {
      cause: error,
      hint: 'pass the path of a LiteLLM model_prices_and_context_window.json file',
    });
  }
  let map: unknown;
  try {
    map = JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new InvalidInputError(`${displayName} is not JSON: ${message}`, {
      hint: 'a LiteLLM price map is a JSON object keyed by model name',
    });
  }
  const effective = utcDay(now);
  const known = buildCatalog({ configured: readConfiguredModels(root) });
  const result = importLiteLLM(map, {
    effective,
    source: `LiteLLM price map ${displayName} (imported ${effective})`,
    isKnown: (provider, id) => {
      const found = findModel(known, provider, id);
      return found !== undefined && found.matchedBy !== 'snapshot';
    },
  });
  const base: PriceImportResult = {
    file: displayName,
    effective,
    written: null,
    imported: result.models.map((m) => ({
      provider: m.provider,
      id: m.id,
      ...(m.tier ? { tier: m.tier } : {}),
    })),
    skipped: result.skipped,
    errors: result.errors,
  };
  if (result.errors.length > 0) return base;
  const sameEntry = (a: ModelConfig, b: ModelConfig) =>
    a.provider === b.provider && a.id === b.id && a.effective === b.effective;
  const existing = readImportedFile(root);
  const merged = [
    ...existing.filter((e) => !result.models.some((m) => sameEntry(e, m))),
    ...result.models,
  ];
  // Check the file as it will be read back, so a write never leaves an unreadable catalog.
  const check = parseModelList(merged, 'imported', 'imported.yaml');
  if (!check.ok) {
    const lines = check.problems.map((p) => `${p.path}: ${p.message}`).join('\n  ');
    throw new InvalidInputError(`the existing .keel/prices/imported.yaml is invalid:\n  ${lines}`, {
      hint: 'fix or delete .keel/prices/imported.yaml, then import again',
    });
  }
  buildCatalog({ imported: check.overrides });
  if (options.dryRun) return base;
  const written = writeImportedFile(
    root,
    merged,
    `Prices imported by \`keel prices import\`; the latest on ${effective} from ${displayName}.\nEach entry applies from its effective date. Re-import rather than edit by hand.`,
  );
  return { ...base, written };
}
