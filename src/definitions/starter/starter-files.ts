/**
 * The starter set as stored in the package: real, reviewable files under
 * `files/`, listed in a stable order with the path each one gets in a repository.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KeelError } from '../../core/index.ts';

/** One file of the starter set: where it goes (POSIX, relative to the repo root) and its text. */
export interface StarterFile {
  path: string;
  content: string;
}

// npm drops `.gitignore` files from published packages, so the dotfile is stored
// without its dot and renamed on the way out.
const RENAMED: Readonly<Record<string, string>> = { '.keel/gitignore': '.keel/.gitignore' };

/**
 * Folder holding the starter files: beside this module when run from the
 * sources; from a compiled `dist/` build, the copy the package ships under `src/`.
 */
export const STARTER_DIR =
  [
    new URL('./files/', import.meta.url),
    new URL('../../../src/definitions/starter/files/', import.meta.url),
  ]
    .map((url) => fileURLToPath(url))
    .find((dir) => existsSync(dir)) ?? fileURLToPath(new URL('./files/', import.meta.url));

/** Reads every starter file, sorted by target path. */
export function loadStarterFiles(dir: string = STARTER_DIR): StarterFile[] {
  let paths: string[];
  try {
    paths = walk(dir);
  } catch (error) {
    throw new KeelError(`keel's starter files are missing from ${dir}`, {
      cause: error,
      hint: 'reinstall keel; the package is incomplete',
    });
  }
  return paths
    .map((abs) => {
      const stored = relative(dir, abs).split(sep).join('/');
      return { path: RENAMED[stored] ?? stored, content: readFileSync(abs, 'utf8') };
    })
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const abs = join(dir, name);
    if (statSync(abs).isDirectory()) out.push(...walk(abs));
    else out.push(abs);
  }
  return out;
}
