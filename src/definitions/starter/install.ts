/**
 * Installs files into a repository all-or-nothing: every target is checked
 * first, and nothing is written unless all of them can be.
 */
import { existsSync, lstatSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { InvalidInputError } from '../../core/index.ts';

/** A file to install: path relative to the root (POSIX separators) and its content. */
export interface PlannedFile {
  path: string;
  content: string;
}

/** What an install would do, decided before anything is written. */
export interface InstallPlan {
  /** Files that will be written (new, or different and forced). */
  write: PlannedFile[];
  /** Existing files whose content is already identical (only with force). */
  unchanged: string[];
  /** Existing files that would be overwritten; the install is refused when non-empty and not forced. */
  conflicts: string[];
  /** Paths whose parent is an existing non-directory: cannot be installed even with force. */
  blocked: string[];
}

/** Decides, for each file, whether it is new, identical, in conflict or blocked. */
export function planInstall(
  root: string,
  files: readonly PlannedFile[],
  force: boolean,
): InstallPlan {
  const plan: InstallPlan = { write: [], unchanged: [], conflicts: [], blocked: [] };
  for (const file of files) {
    const abs = join(root, file.path);
    if (blockedByParent(root, file.path)) {
      plan.blocked.push(file.path);
      continue;
    }
    if (!existsSync(abs)) {
      plan.write.push(file);
      continue;
    }
    if (!lstatSync(abs).isFile()) {
      plan.blocked.push(file.path);
      continue;
    }
    if (!force) plan.conflicts.push(file.path);
    else if (readFileSync(abs, 'utf8') === file.content) plan.unchanged.push(file.path);
    else plan.write.push(file);
  }
  return plan;
}

/** Throws when the plan cannot be carried out, naming every offending file. */
export function assertInstallable(plan: InstallPlan, what: string): void {
  if (plan.blocked.length > 0) {
    throw new InvalidInputError(
      `cannot write ${what}: something that is not a regular file or folder is in the way of\n${bullets(plan.blocked)}`,
      { hint: 'move those paths out of the way and run the command again' },
    );
  }
  if (plan.conflicts.length > 0) {
    throw new InvalidInputError(
      `refusing to overwrite ${plan.conflicts.length} existing file${plan.conflicts.length === 1 ? '' : 's'} (nothing was written):\n${bullets(plan.conflicts)}`,
      { hint: 'pass --force to overwrite them' },
    );
  }
}

/** Writes the planned files, creating folders as needed. */
export function applyInstall(root: string, plan: InstallPlan): void {
  for (const file of plan.write) {
    const abs = join(root, file.path);
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, file.content);
  }
}

function blockedByParent(root: string, path: string): boolean {
  const parts = path.split('/');
  let current = root;
  for (const part of parts.slice(0, -1)) {
    current = join(current, part);
    if (existsSync(current) && !lstatSync(current).isDirectory()) return true;
  }
  return false;
}

function bullets(paths: readonly string[]): string {
  return paths.map((p) => `  ${p}`).join('\n');
}
