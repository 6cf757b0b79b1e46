/**
 * Review gates: the reviewer agent (never the author) reads the pass's outputs
 * and the gate's written criteria and answers with a verdict per criterion.
 * The schema has one key per criterion (`c1`, `c2`, …) so no criterion can be
 * silently left out.
 */
import { z } from 'zod';
import type { CriterionVerdict } from './events.ts';

/** The structured answer asked of a reviewer for `criteria`. */
export function verdictSchema(criteria: readonly string[]) {
  const verdict = z.object({
    passed: z.boolean(),
    finding: z.string(),
  });
  return z.object({
    criteria: z.object(Object.fromEntries(criteria.map((_, i) => [`c${i + 1}`, verdict]))),
  });
}

/** The prompt a reviewer gets: what to review and what to decide. */
export function reviewPrompt(options: {
  itemId: string;
  title: string;
  pass: string;
  gate: string;
  criteria: readonly string[];
  artifacts: readonly { name: string; content: string }[];
}): string {
  const parts = [
    `# Review gate \`${options.gate}\` of pass \`${options.pass}\` for ${options.itemId}: ${options.title}`,
    'You did not write these artifacts. Decide each criterion independently: passed true or false, and a one-sentence finding saying what you saw (for a failure: what is missing or wrong, and where).',
    '# Criteria',
    options.criteria.map((c, i) => `c${i + 1}: ${c}`).join('\n'),
  ];
  for (const a of options.artifacts) parts.push(`# Artifact ${a.name}`, a.content);
  if (options.artifacts.length === 0) parts.push('# Artifacts', '(the pass wrote no artifacts)');
  parts.push(
    '# Answer',
    'Answer with a JSON object {"criteria": {"c1": {"passed": …, "finding": "…"}, …}}.',
  );
  return parts.join('\n\n');
}

/** Turns the reviewer's answer into per-criterion verdicts. */
export function verdictsOf(
  criteria: readonly string[],
  answer: { criteria: Record<string, { passed: boolean; finding: string }> },
): CriterionVerdict[] {
  return criteria.map((criterion, i) => {
    const v = answer.criteria[`c${i + 1}`];
    return v
      ? { criterion, passed: v.passed, finding: v.finding }
      : { criterion, passed: false, finding: 'the reviewer gave no verdict for this criterion' };
  });
}
