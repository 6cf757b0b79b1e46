/**
 * The exact definition of every figure `keel report` prints, in one table: the
 * JSON, Markdown and HTML outputs carry these strings next to the values, and
 * docs/metrics.md lists the same text.
 */

export const FIGURE_IDS = [
  'ai-share-changes',
  'ai-share-lines',
  'survival-head',
  'survival-tag',
  'churn-72h',
  'churn-7d',
  'change-failure',
  'batch-size',
  'lead-time',
] as const;
export type FigureId = (typeof FIGURE_IDS)[number];

export interface FigureDefinition {
  title: string;
  unit: 'share' | 'lines' | 'hours';
  definition: string;
}

/** The preamble every change-based definition starts with. */
export const LANDED_DEFINITION =
  'A change is a first-parent commit of the analysed branch (direct commit, squash or merge) that landed (committer time) inside the period; its lines are those its diff against its first parent adds, moved lines excluded.';

/** Every figure's title, unit and definition. */
export const DEFINITIONS: Record<FigureId, FigureDefinition> = {
  'ai-share-changes': {
    title: 'AI-assisted share of changes',
    unit: 'share',
    definition: `${LANDED_DEFINITION} AI-assisted changes divided by all changes. A change is AI-assisted when its commit carries a known assistant's Co-authored-by trailer, tool signature, bot author or author suffix, or a Keel-Generation/Keel-Agent/Keel-Model trailer; a git-ai note (refs/notes/ai) overrides these and makes it AI-assisted when it attests at least one line; a merge is AI-assisted when it or any commit it brings in is.`,
  },
  'ai-share-lines': {
    title: 'AI-written share of landed lines',
    unit: 'share',
    definition: `${LANDED_DEFINITION} Lines of AI-assisted changes, divided by all landed lines. With a git-ai note only the lines it attests count as AI-written.`,
  },
  'survival-head': {
    title: 'Line survival at head',
    unit: 'share',
    definition: `${LANDED_DEFINITION} Of the lines landed in the period, the share still present at the analysed head, following lines through renames and moves (an added line whose content, ignoring surrounding whitespace and containing a letter or digit, is removed elsewhere in the same change keeps the removed line's origin). A modified line counts as removed.`,
  },
  'survival-tag': {
    title: 'Line survival at the latest tag',
    unit: 'share',
    definition: `${LANDED_DEFINITION} Of the lines landed in the period at or before the latest tag that points at a main-line commit, the share still present at that tag.`,
  },
  'churn-72h': {
    title: 'Rework within 72 hours',
    unit: 'share',
    definition: `${LANDED_DEFINITION} Of the lines landed in the period at least 72 hours before the analysed head, the share that a later change removed or rewrote within 72 hours (inclusive) of landing. Only later first-parent commits count, so lines rewritten inside a branch before it merged never landed and are not churn; moved lines are not churn; binary files have no lines.`,
  },
  'churn-7d': {
    title: 'Rework within 7 days',
    unit: 'share',
    definition: `${LANDED_DEFINITION} Of the lines landed in the period at least 7 days before the analysed head, the share that a later change removed or rewrote within 7 days (inclusive) of landing; otherwise as rework within 72 hours.`,
  },
  'change-failure': {
    title: 'Change failure rate',
    unit: 'share',
    definition: `${LANDED_DEFINITION} The share of changes that a later landed change reverts ("This reverts commit <sha>") or says it fixes ("Fixes: <sha>", "hotfix for <sha>", "fix of <sha>"), where <sha> resolves to a commit the change landed (itself or a commit a merge brought in). AI vs other is the class of the failed change.`,
  },
  'batch-size': {
    title: 'Batch size',
    unit: 'lines',
    definition: `${LANDED_DEFINITION} Lines changed per change: lines added plus lines deleted by its diff against its first parent, as git counts them (binary files count 0). Median and mean per class, overall and per ISO week (UTC) of landing.`,
  },
  'lead-time': {
    title: 'Lead time (branch start to merge)',
    unit: 'hours',
    definition:
      'For each merge change landed in the period: hours from the earliest author time of the commits it brings into the main line to the merge commit’s committer time. Direct commits and squashes carry no branch history and are not counted.',
  },
};
