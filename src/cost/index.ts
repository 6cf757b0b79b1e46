/**
 * Cost: the versioned price catalog, exact cost of model calls, attribution
 * rollups, budget decisions with the reservation ledger, and model routing.
 * Pure functions except catalog-files (the .keel/ edge).
 */
export * from './budget-decision.ts';
export * from './budget-period.ts';
export * from './budget-types.ts';
export { BUILT_IN_MODELS } from './built-in-catalog.ts';
export {
  ALWAYS,
  blendedRate,
  buildCatalog,
  canonicalProvider,
  findModel,
  type ModelMatch,
  type ModelOverride,
  mergeModels,
  modelsOfTier,
  priceAt,
  utcDay,
} from './catalog.ts';
export {
  IMPORTED_FILE,
  loadCatalog,
  PRICES_DIR,
  readConfiguredModels,
  readImportedFile,
  readImportedModels,
  writeImportedFile,
} from './catalog-files.ts';
export * from './catalog-types.ts';
export * from './catalog-view.ts';
export * from './forecast.ts';
export * from './learned-router.ts';
export * from './litellm-import.ts';
export * from './model-choice.ts';
export { type ModelConfig, type ModelConfigProblem, parseModelList } from './model-config.ts';
export { formatUsd, type MicroUsd, microsToUsd, usdToMicros } from './money.ts';
export * from './normalise-usage.ts';
export * from './pass-history.ts';
export * from './price-call.ts';
export * from './price-import-file.ts';
export * from './priority.ts';
export * from './reported-cost.ts';
export * from './reservation-ledger.ts';
export * from './rollups.ts';
export * from './router-candidates.ts';
export * from './tier-selection.ts';
export * from './worst-case.ts';
