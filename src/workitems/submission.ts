/**
 * What `keel submit` accepts, validated once at the edge (zod), then trusted.
 * Field-level problems become one `UsageError` (exit 2) naming every bad flag.
 */
import { z } from 'zod';
import { PRIORITIES, UsageError } from '../core/index.ts';

const slug = /^[a-z0-9][a-z0-9._-]*$/;
/** Jira-style keys (ABC-123) or absolute URLs (GitHub issues, Linear…). */
const sourceLink = /^(?:[A-Z][A-Z0-9]+-\d+|https?:\/\/\S+)$/;

export const MAX_TITLE_LENGTH = 200;
export const MAX_BODY_BYTES = 256 * 1024;

export const submissionSchema = z.strictObject({
  title: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(MAX_TITLE_LENGTH, `must be at most ${MAX_TITLE_LENGTH} characters`)
    .refine((t) => !/[\r\n]/.test(t), 'must be a single line'),
  body: z
    .string()
    .refine(
      (b) => Buffer.byteLength(b) <= MAX_BODY_BYTES,
      `must be at most ${MAX_BODY_BYTES} bytes`,
    )
    .default(''),
  type: z.string().regex(slug, 'must be a lowercase word such as feature, bug or docs'),
  priority: z.enum(PRIORITIES, { error: `must be one of ${PRIORITIES.join(', ')}` }),
  project: z.string().regex(slug, 'must be a lowercase slug').optional(),
  team: z.string().regex(slug, 'must be a lowercase slug').optional(),
  owner: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(100, 'must be at most 100 characters')
    .optional(),
  labels: z.array(z.string().regex(slug, 'must be a lowercase slug')).default([]),
  source: z
    .string()
    .regex(sourceLink, 'must be an http(s) URL or an issue key such as ABC-123')
    .optional(),
  budgetUsd: z
    .number({ error: 'must be a number of US dollars' })
    .positive('must be greater than zero')
    .max(1_000_000, 'must be at most 1,000,000')
    .optional(),
  mode: z.string().regex(slug).optional(),
});

export type SubmissionInput = z.input<typeof submissionSchema>;
export type Submission = z.output<typeof submissionSchema>;

const fieldFlags: Record<string, string> = {
  title: '--title',
  body: '--body-file',
  type: '--type',
  priority: '--priority',
  project: '--project',
  team: '--team',
  owner: '--owner',
  labels: '--label',
  source: '--source',
  budgetUsd: '--budget',
  mode: '--mode',
};

/** Validates raw submission fields; throws one error listing every invalid field by its flag. */
export function parseSubmission(input: SubmissionInput): Submission {
  const result = submissionSchema.safeParse(input);
  if (result.success) {
    return { ...result.data, labels: [...new Set(result.data.labels)] };
  }
  const problems = result.error.issues.map((issue) => {
    const field = String(issue.path[0] ?? '');
    return `${fieldFlags[field] ?? field}: ${issue.message}`;
  });
  throw new UsageError(`invalid work item: ${problems.join('; ')}`, {
    hint: 'see `keel submit --help` for the accepted values',
  });
}
