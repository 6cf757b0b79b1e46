/**
 * `keel init` as a domain operation: resolve the names, personalise the starter
 * set, check every target, then write.
 */

import { applyInstall, assertInstallable, planInstall } from './install.ts';
import { resolveNames, type StarterNames } from './names.ts';
import { personalizeSettings } from './personalize.ts';
import { findRepoRoot, originUrl } from './repository.ts';
import { loadStarterFiles } from './starter-files.ts';

export interface InitOptions {
  /** Folder the command runs in; the starter set goes to its repository's top level. */
  cwd: string;
  force: boolean;
  names: Partial<StarterNames>;
}

/** What `keel init` did. */
export interface InitResult {
  repoRoot: string;
  names: StarterNames;
  /** Paths written, relative to the repository root. */
  written: string[];
  /** Paths left alone because they already held exactly the starter content. */
  skipped: string[];
}

const SETTINGS_PATH = '.keel/keel.yaml';

/** Writes the starter set into the repository containing `cwd`; all-or-nothing. */
export function initRepository(options: InitOptions): InitResult {
  const repoRoot = findRepoRoot(options.cwd);
  const names = resolveNames({ repoRoot, originUrl: originUrl(repoRoot), given: options.names });
  const files = loadStarterFiles().map((file) =>
    file.path === SETTINGS_PATH
      ? { path: file.path, content: personalizeSettings(file.content, names) }
      : file,
  );
  const plan = planInstall(repoRoot, files, options.force);
  assertInstallable(plan, 'the starter set');
  applyInstall(repoRoot, plan);
  return {
    repoRoot,
    names,
    written: plan.write.map((f) => f.path),
    skipped: plan.unchanged,
  };
}
