/**
 * Building blocks shared by the three file schemas: names, durations, the
 * escalation ladder and agent runtimes. Every object is strict, so a key the
 * format does not define is reported instead of silently ignored.
 */
import { z } from 'zod';
import { RUNTIMES } from '../../core/index.ts';
import { DURATION_PATTERN, parseDuration } from '../duration.ts';

/** A lowercase name: workflows, agents, passes, gates, roles, modes, tiers, pools. */
export const NAME_PATTERN = /^[a-z0-9][a-z0-9._-]*$/;
export const nameSchema = z
  .string()
  .regex(NAME_PATTERN, { error: 'must be lowercase letters, digits, `-`, `_` or `.`' })
  .describe('A lowercase name: letters, digits, `-`, `_`, `.`');

/** An environment variable name; the value (a key or URL) never appears in a file. */
export const envNameSchema = z
  .string()
  .regex(/^[A-Z_][A-Z0-9_]*$/, { error: 'must be an environment variable name like `MY_KEY`' })
  .describe('Name of an environment variable (never the secret itself)');

export const durationSchema = z
  .string()
  .regex(DURATION_PATTERN, {
    error: 'must be a duration such as `30s`, `10m`, `2h` or `1h30m`',
    abort: true,
  })
  .refine((text) => parseDuration(text) !== undefined, {
    error: 'must be a duration longer than zero',
    params: { rule: 'invalid-duration' },
  })
  .describe('A duration: `30s`, `10m`, `2h`, `1h30m`');

/** A command line as an argv array: never a shell string. */
export const argvSchema = z
  .array(z.string().min(1))
  .min(1, { error: 'must name a program: an argv array such as [npm, test]' })
  .describe('argv array, e.g. [npm, test]; never a shell string');

const countSchema = z.int().positive();

/** One step of an escalation ladder: `abort`, `{ rework: N }`, `{ escalate_tier: N }`, `{ human: ROLE }`. */
export const escalationStepSchema = z.union(
  [
    z.literal('abort'),
    z.strictObject({
      rework: countSchema.describe('Rework the pass with the findings, at most N times'),
    }),
    z.strictObject({
      escalate_tier: countSchema.describe('Retry on the next tier, at most N times'),
    }),
    z.strictObject({ human: nameSchema.describe('Hand to a human role') }),
  ],
  { error: 'must be `abort`, `{ rework: N }`, `{ escalate_tier: N }` or `{ human: ROLE }`' },
);
export const escalationSchema = z
  .array(escalationStepSchema)
  .describe('Escalation ladder, tried in order');

export const CLAUDE_PERMISSION_MODES = [
  'default',
  'acceptEdits',
  'bypassPermissions',
  'plan',
] as const;
export const CODEX_SANDBOXES = ['read-only', 'workspace-write', 'danger-full-access'] as const;

const runtimeObjectSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('llm'), timeout: durationSchema.optional() }),
  z.strictObject({
    kind: z.literal('claude-code'),
    max_turns: countSchema.optional(),
    allowed_tools: z.array(z.string().min(1)).optional(),
    disallowed_tools: z.array(z.string().min(1)).optional(),
    permission_mode: z.enum(CLAUDE_PERMISSION_MODES).optional(),
    timeout: durationSchema.optional(),
  }),
  z.strictObject({
    kind: z.literal('codex'),
    sandbox: z.enum(CODEX_SANDBOXES).optional(),
    timeout: durationSchema.optional(),
  }),
  z.strictObject({
    kind: z.literal('command'),
    run: argvSchema,
    timeout: durationSchema.optional(),
  }),
  z.strictObject({ kind: z.literal('human'), timeout: durationSchema.optional() }),
]);

/** An agent runtime: a bare kind, or an object with the kind's options. */
export const runtimeSchema = z
  .union([z.enum(RUNTIMES), runtimeObjectSchema], {
    error: `must be one of ${RUNTIMES.join(', ')}, or an object with a \`kind\``,
  })
  .describe('How the agent runs: llm | claude-code | codex | command | human, or an object');
