/**
 * The org, team and project names `keel init` writes into keel.yaml: checked
 * when given on the command line, derived from the repository otherwise.
 */
import { basename } from 'node:path';
import { UsageError } from '../../core/index.ts';

/** The three names that identify a repository's work in keel. */
export interface StarterNames {
  org: string;
  team: string;
  project: string;
}

/** Names are single path-safe tokens, because costs are grouped and reported by them. */
export const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Throws a usage error unless `value` is an acceptable name for `--<option>`. */
export function checkName(option: string, value: string): string {
  if (!NAME_PATTERN.test(value)) {
    throw new UsageError(`invalid --${option} ${JSON.stringify(value)}`, {
      hint: 'use 1-64 letters, digits, dots, dashes or underscores, starting with a letter or digit',
    });
  }
  return value;
}

/** Turns any folder or owner name into a valid name (lowercase, dashes), or undefined if nothing is left. */
export function slugName(raw: string): string | undefined {
  const slug = raw
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .replace(/-+$/, '')
    .slice(0, 64);
  return slug === '' ? undefined : slug;
}

/** Extracts the owner from a git remote URL (`git@host:owner/repo.git`, `https://host/owner/repo`). */
export function ownerFromRemote(url: string): string | undefined {
  const match = /^(?:[a-z+]+:\/\/[^/]+\/|[^@/]+@[^:]+:)([^/]+)\/[^/]+?(?:\.git)?\/?$/i.exec(
    url.trim(),
  );
  return match?.[1] === undefined ? undefined : slugName(match[1]);
}

export interface NameSources {
  /** Absolute path of the repository's top level. */
  repoRoot: string;
  /** URL of the `origin` remote, if any. */
  originUrl?: string | undefined;
  given: Partial<StarterNames>;
}

/**
 * Resolves the names: given values win; the project (and the team) default to the
 * repository folder's name, the org to the origin remote's owner, else the folder.
 */
export function resolveNames(sources: NameSources): StarterNames {
  const folder = slugName(basename(sources.repoRoot)) ?? 'project';
  const owner = sources.originUrl === undefined ? undefined : ownerFromRemote(sources.originUrl);
  const { given } = sources;
  return {
    org: given.org === undefined ? (owner ?? folder) : checkName('org', given.org),
    team: given.team === undefined ? folder : checkName('team', given.team),
    project: given.project === undefined ? folder : checkName('project', given.project),
  };
}
