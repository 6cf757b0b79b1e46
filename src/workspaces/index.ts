/**
 * Workspaces: a git branch and worktree per work item, the pass artifacts in
 * it, commits carrying keel's trailers, and the check that a pass wrote only
 * where its agent may.
 */
export { writesOutside } from './access.ts';
export {
  artifactDir,
  type ContextLimits,
  DEFAULT_CONTEXT_LIMITS,
  readArtifact,
  readContextFiles,
  type WrittenArtifact,
  writeArtifacts,
} from './artifacts.ts';
export { git, WorkspaceError } from './git.ts';
export {
  branchOf,
  type CommitTrailers,
  changedFiles,
  commitAll,
  ensureWorktree,
  headOf,
  resetWorktree,
  revertFiles,
  worktreePath,
} from './worktree.ts';
export { withWorktreeLock } from './worktree-lock.ts';
