/** The starter set `keel init` writes, and the all-or-nothing installer it uses. */
export { type InitOptions, type InitResult, initRepository } from './init-repository.ts';
export {
  applyInstall,
  assertInstallable,
  type InstallPlan,
  type PlannedFile,
  planInstall,
} from './install.ts';
export { checkName, type StarterNames } from './names.ts';
export { findRepoRoot } from './repository.ts';
export { loadStarterFiles, STARTER_DIR, type StarterFile } from './starter-files.ts';
