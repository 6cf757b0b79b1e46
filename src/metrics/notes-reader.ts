/**
 * Loads git-ai authorship notes (`refs/notes/ai`) for the commits being analysed:
 * one `git notes list` and one `git cat-file --batch`, never a process per note.
 */
import { type AuthorshipNote, parseAuthorshipNote } from './git-ai-note.ts';
import { gitBytes, gitText } from './git-process.ts';

export const NOTES_REF = 'refs/notes/ai';

/** Every note of the ref: commit → note blob id (empty when the repository has no git-ai notes). */
export async function listNotes(cwd: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const ref = await gitText(cwd, ['rev-parse', '--verify', '--quiet', NOTES_REF], true);
  if (!ref?.trim()) return out;
  const listing = await gitText(cwd, ['notes', `--ref=${NOTES_REF}`, 'list']);
  for (const line of listing.split('\n')) {
    const [blob, commit] = line.trim().split(' ');
    if (blob && commit) out.set(commit, blob);
  }
  return out;
}

/** Reads and parses the notes of `commits` (commit → blob, from `listNotes`). */
export async function readAuthorshipNotes(
  cwd: string,
  commits: ReadonlyMap<string, string>,
): Promise<Map<string, AuthorshipNote>> {
  const notes = new Map<string, AuthorshipNote>();
  const wanted = [...commits].map(([commit, blob]) => ({ commit, blob }));
  if (wanted.length === 0) return notes;
  const out = await gitBytes(
    cwd,
    ['cat-file', '--batch'],
    `${wanted.map((w) => w.blob).join('\n')}\n`,
  );
  let at = 0;
  for (const { commit } of wanted) {
    const eol = out.indexOf(10, at);
    if (eol < 0) break;
    const header = out.subarray(at, eol).toString('utf8').split(' ');
    const size = Number(header[2]);
    if (header[1] !== 'blob' || !Number.isFinite(size)) {
      at = eol + 1;
      continue;
    }
    const text = out.subarray(eol + 1, eol + 1 + size).toString('utf8');
    at = eol + 1 + size + 1;
    const note = parseAuthorshipNote(text);
    if (note) notes.set(commit, note);
  }
  return notes;
}
