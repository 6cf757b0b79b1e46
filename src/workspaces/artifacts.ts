/**
 * Artifacts in the worktree: each pass writes under
 * `.keel/artifacts/<item>/<pass>/`, later passes read them back as inputs,
 * and agents read their declared context files (bounded in size).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import picomatch from 'picomatch';

/** The artifact folder of a pass, relative to the worktree (POSIX separators). */
export function artifactDir(itemId: string, pass: string): string {
  return `.keel/artifacts/${itemId}/${pass}`;
}

export interface WrittenArtifact {
  /** Relative to the worktree. */
  path: string;
  sha256: string;
  bytes: number;
}

/** Writes a pass's outputs into its artifact folder; returns what was written. */
export function writeArtifacts(
  worktree: string,
  itemId: string,
  pass: string,
  outputs: readonly { name: string; content: string }[],
): WrittenArtifact[] {
  return outputs.map((o) => {
    const path = `${artifactDir(itemId, pass)}/${o.name}`;
    const abs = join(worktree, path);
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, o.content);
    const bytes = Buffer.byteLength(o.content);
    return { path, sha256: createHash('sha256').update(o.content).digest('hex'), bytes };
  });
}

/** Reads an artifact of a pass; undefined when it was not written. */
export function readArtifact(
  worktree: string,
  itemId: string,
  pass: string,
  name: string,
): string | undefined {
  try {
    return readFileSync(join(worktree, artifactDir(itemId, pass), name), 'utf8');
  } catch {
    return undefined;
  }
}

export interface ContextLimits {
  maxFiles: number;
  maxFileBytes: number;
  maxTotalBytes: number;
}

export const DEFAULT_CONTEXT_LIMITS: ContextLimits = {
  maxFiles: 40,
  maxFileBytes: 32 * 1024,
  maxTotalBytes: 128 * 1024,
};

const SKIP_DIRS = new Set(['.git', 'node_modules', '.keel']);

/** The worktree's files matching `globs`, in path order, within the limits (large files skipped). */
export function readContextFiles(
  worktree: string,
  globs: readonly string[],
  limits: ContextLimits = DEFAULT_CONTEXT_LIMITS,
): { path: string; content: string }[] {
  if (globs.length === 0) return [];
  const match = picomatch([...globs], { dot: false });
  const files: { path: string; content: string }[] = [];
  let total = 0;
  const walk = (dir: string): void => {
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      return;
    }
    for (const name of names) {
      if (files.length >= limits.maxFiles) return;
      if (SKIP_DIRS.has(name)) continue;
      const abs = join(dir, name);
      const stat = statSync(abs, { throwIfNoEntry: false });
      if (!stat) continue;
      if (stat.isDirectory()) walk(abs);
      else {
        const rel = relative(worktree, abs).split(sep).join('/');
        if (!match(rel) || stat.size > limits.maxFileBytes) continue;
        if (total + stat.size > limits.maxTotalBytes) return;
        total += stat.size;
        files.push({ path: rel, content: readFileSync(abs, 'utf8') });
      }
    }
  };
  walk(worktree);
  return files;
}
