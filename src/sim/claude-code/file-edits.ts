/**
 * Applies a scenario's file edits in the fake agent's working directory, the
 * way the real tools would: Write creates or overwrites, Edit replaces a
 * string that must be present, delete removes. Paths never leave the folder.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';

/** The outcome of one edit, with the message the real tool would return. */
export interface EditOutcome {
  ok: boolean;
  absPath: string;
  /** Whether the file existed before (Write: create vs overwrite). */
  existed: boolean;
  message: string;
}

/** Resolves `path` inside `cwd`, or throws when it would escape it. */
export function confine(cwd: string, path: string): string {
  const abs = resolve(cwd, path);
  const rel = relative(cwd, abs);
  if (rel.startsWith('..') || resolve(cwd, rel) !== abs)
    throw new Error(`the path ${path} is outside the working directory ${cwd}`);
  return abs;
}

/** Creates or overwrites a file. */
export function writeFile(cwd: string, path: string, content: string): EditOutcome {
  const absPath = confine(cwd, path);
  const existed = existsSync(absPath);
  mkdirSync(dirname(absPath), { recursive: true });
  writeFileSync(absPath, content);
  const message = existed
    ? `The file ${absPath} has been updated.`
    : `File created successfully at: ${absPath}`;
  return { ok: true, absPath, existed, message };
}

/** Replaces `old` by `replacement` (every occurrence with `all`); fails like Edit when absent or ambiguous. */
export function editFile(
  cwd: string,
  path: string,
  old: string,
  replacement: string,
  all = false,
): EditOutcome {
  const absPath = confine(cwd, path);
  if (!existsSync(absPath))
    return { ok: false, absPath, existed: false, message: `File does not exist: ${absPath}` };
  const content = readFileSync(absPath, 'utf8');
  const occurrences = content.split(old).length - 1;
  if (occurrences === 0)
    return {
      ok: false,
      absPath,
      existed: true,
      message: `String to replace not found in file.\nString: ${old}`,
    };
  if (occurrences > 1 && !all)
    return {
      ok: false,
      absPath,
      existed: true,
      message: `Found ${occurrences} matches of the string to replace, but replace_all is false.`,
    };
  writeFileSync(
    absPath,
    all ? content.split(old).join(replacement) : content.replace(old, () => replacement),
  );
  return { ok: true, absPath, existed: true, message: `The file ${absPath} has been updated.` };
}

/** Deletes a file. */
export function deleteFile(cwd: string, path: string): EditOutcome {
  const absPath = confine(cwd, path);
  if (!existsSync(absPath))
    return {
      ok: false,
      absPath,
      existed: false,
      message: `rm: cannot remove '${path}': No such file or directory`,
    };
  rmSync(absPath, { force: true });
  return { ok: true, absPath, existed: true, message: '' };
}
