/**
 * Opening "the project" for a command: the repository root, its validated
 * definitions, and its ledger where keel.yaml's `store` says it lives.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { InvalidInputError } from '../core/index.ts';
import {
  type Definitions,
  loadDefinitions,
  requireDefinitions,
  type StoreConfig,
} from '../definitions/index.ts';
import {
  defaultLedgerPath,
  type LedgerConfig,
  type LedgerStore,
  openLedger,
} from '../ledger/index.ts';
import { requireKeelRoot } from '../repo/index.ts';

export interface Project {
  root: string;
  definitions: Definitions;
  ledger: LedgerStore;
}

/** Where the ledger of `root` lives, from its store settings (env var KEEL_LEDGER_PATH overrides). */
export function ledgerConfigFor(
  root: string,
  store: StoreConfig | undefined,
  env: NodeJS.ProcessEnv,
): LedgerConfig {
  if (store?.driver === 'postgres') {
    const url = env[store.urlEnv];
    if (!url) {
      throw new InvalidInputError(
        `keel.yaml stores the ledger in PostgreSQL, but the environment variable ${store.urlEnv} is not set`,
        { hint: `export ${store.urlEnv}=postgres://user@host:5432/db` },
      );
    }
    return { kind: 'postgres', url };
  }
  if (env.KEEL_LEDGER_PATH || !store) return { kind: 'sqlite', path: defaultLedgerPath(root, env) };
  return { kind: 'sqlite', path: isAbsolute(store.path) ? store.path : resolve(root, store.path) };
}

/** Loads the project at or above `cwd`; its definitions must be valid. */
export async function loadProject(
  cwd: string,
): Promise<{ root: string; definitions: Definitions }> {
  const root = requireKeelRoot(cwd);
  return { root, definitions: await requireDefinitions(root) };
}

/** Opens (creating if missing) the ledger of a loaded project. */
export function openLedgerOf(
  project: { root: string; definitions: Definitions },
  env: NodeJS.ProcessEnv,
): Promise<LedgerStore> {
  return openLedger(ledgerConfigFor(project.root, project.definitions.config.store, env), { env });
}

/** Opens the project at or above `cwd`: definitions must be valid; the ledger is created if missing. */
export async function openProject(cwd: string, env: NodeJS.ProcessEnv): Promise<Project> {
  const project = await loadProject(cwd);
  return { ...project, ledger: await openLedgerOf(project, env) };
}

/**
 * Opens only the ledger, for read commands that must work even when the
 * definitions have since been broken (`show`, `list`). Never creates a ledger:
 * returns undefined when a SQLite project has recorded nothing yet.
 */
export async function openProjectLedger(
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<{ root: string; ledger: LedgerStore | undefined }> {
  const root = requireKeelRoot(cwd);
  const { definitions } = await loadDefinitions(root);
  const config = ledgerConfigFor(root, definitions?.config.store, env);
  if (config.kind === 'sqlite' && !existsSync(config.path)) return { root, ledger: undefined };
  return { root, ledger: await openLedger(config, { env, create: false }) };
}
