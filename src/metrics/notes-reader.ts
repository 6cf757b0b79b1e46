/**
 * Loads git-ai authorship notes (`refs/notes/ai`) for the commits being analysed:
 * one `git notes list` and one `git cat-file --batch`, never a process per note.
 */
import { type AuthorshipNote, parseAuthorshipNote } from './git-ai-note.ts';
import { gitBytes, gitText } from './git-process.ts';

export const NOTES_REF = 'refs/notes/ai';

/** The notes ref's current object id, or undefined when the repository has no git-ai notes. */
export async function notesRefId(cwd: string): Promise<string | undefined> {
  const out = await gitText(cwd, ['rev-parse', '--verify', '--quiet', NOTES_REF], true);
  return out?.trim() || undefined;
}

/** Reads and parses the notes attached to any of `commits`. */
export async function readAuthorshipNotes(
  cwd: string,
  commits: ReadonlySet<string>,
): Promise<Map<string, AuthorshipNote>> {
  const notes = new Map<string, AuthorshipNote>();
  if ((await notesRefId(cwd)) === undefined) return notes;
  const listing = await gitText(cwd, ['notes', `--ref=${NOTES_REF}`, 'list']);
  const wanted: { blob: string; commit: string }[] = [];
  for (const line of listing.split('\n')) {
    const [blob, commit] = line.trim().split(' ');
    if (blob && commit && commits.has(commit)) wanted.push({ blob, commit });
  }
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
