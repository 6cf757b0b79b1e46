/** Errors of the Claude Code subagent import, each located at file:line:column. */
import { formatLocation, InvalidInputError, type SourceLocation } from '../../core/index.ts';

/** One thing wrong with one subagent file. */
export interface ImportProblem {
  location: SourceLocation;
  message: string;
}

/** One or more subagent files are malformed; nothing was imported. */
export class SubagentFormatError extends InvalidInputError {
  readonly problems: readonly ImportProblem[];

  constructor(problems: readonly ImportProblem[]) {
    const lines = problems.map((p) => `${formatLocation(p.location)}: ${p.message}`);
    const head =
      problems.length === 1
        ? (lines[0] ?? '')
        : `${problems.length} problems in the subagent files (nothing was imported):\n${lines.map((l) => `  ${l}`).join('\n')}`;
    super(problems.length === 1 ? `${head} (nothing was imported)` : head, {
      hint: 'fix the frontmatter (name, description, optional tools and model) and run the import again',
    });
    this.problems = problems;
  }
}
