/** The access check: files a pass changed that its agent may not write. Pure. */
import picomatch from 'picomatch';

/** Changed files outside the agent's `access.write` globs and outside its artifact folder. */
export function writesOutside(
  changed: readonly string[],
  writeGlobs: readonly string[],
  artifactFolder: string,
): string[] {
  const allowed = writeGlobs.length > 0 ? picomatch([...writeGlobs], { dot: true }) : () => false;
  const prefix = `${artifactFolder.replace(/\/+$/, '')}/`;
  return changed.filter((f) => !f.startsWith(prefix) && !allowed(f));
}
