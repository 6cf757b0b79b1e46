/**
 * The scenario format of the coding-agent fakes: rules, matched on the prompt,
 * that prescribe the steps a fake agent takes (messages, file edits, commands),
 * how the run ends, and which fault to inject. Shared by both fakes.
 */
import { isAbsolute, normalize } from 'node:path';
import { z } from 'zod';

/** Ways a run can end when no fault cuts it short. */
export const SIM_OUTCOMES = [
  'success',
  'error',
  'max_turns',
  'max_budget',
  'auth',
  'rate_limit',
] as const;
export type SimOutcome = (typeof SIM_OUTCOMES)[number];

/** Faults the fakes inject. */
export const SIM_FAULTS = ['crash', 'hang', 'malformed', 'nonzero_exit'] as const;
export type SimFault = (typeof SIM_FAULTS)[number];

const relativePath = z
  .string()
  .min(1)
  .refine((p) => !isAbsolute(p) && !normalize(p).startsWith('..'), {
    message: 'must be a relative path inside the working directory',
  });

const STEP_KINDS = ['say', 'think', 'write', 'edit', 'delete', 'run'] as const;

const stepSchema = z
  .strictObject({
    say: z.string().optional(),
    think: z.string().optional(),
    write: z.strictObject({ path: relativePath, content: z.string() }).optional(),
    edit: z
      .strictObject({
        path: relativePath,
        old: z.string().min(1),
        new: z.string(),
        all: z.boolean().optional(),
      })
      .optional(),
    delete: relativePath.optional(),
    run: z
      .strictObject({
        command: z.string().min(1),
        output: z.string().default(''),
        exitCode: z.number().int().min(0).max(255).default(0),
      })
      .optional(),
  })
  .refine((s) => STEP_KINDS.filter((k) => s[k] !== undefined).length === 1, {
    message: `a step has exactly one of: ${STEP_KINDS.join(', ')}`,
  });
export type SimStep = z.infer<typeof stepSchema>;

const pacingSchema = z.strictObject({
  /** Delay before the first event (model warm-up, tool discovery). */
  startupMs: z.number().min(0).optional(),
  /** Delay between steps (a model call). */
  stepMs: z.number().min(0).optional(),
});
export type SimPacing = z.infer<typeof pacingSchema>;

const patternSchema = z.string().refine(
  (p) => {
    try {
      new RegExp(p, 'i');
      return true;
    } catch {
      return false;
    }
  },
  { message: 'is not a valid regular expression' },
);

const attemptSchema = z.union([
  z.number().int().min(1),
  z.array(z.number().int().min(1)).min(1),
  z.strictObject({
    min: z.number().int().min(1).optional(),
    max: z.number().int().min(1).optional(),
  }),
]);

const ruleSchema = z.strictObject({
  name: z.string().optional(),
  match: z
    .strictObject({
      /** Case-insensitive substring of the prompt. */
      prompt: z.string().optional(),
      /** Case-insensitive regular expression over the prompt. */
      pattern: patternSchema.optional(),
      /** The `x-keel-pass:` marker line of the prompt. */
      pass: z.string().optional(),
      /** The `x-keel-agent:` marker line of the prompt. */
      agent: z.string().optional(),
      attempt: attemptSchema.optional(),
    })
    .default({}),
  /** Model the run reports (default: `--model`, else the CLI's default). */
  model: z.string().optional(),
  /** Other models the CLI also calls (Claude Code's small background model), reported apart. */
  alsoUses: z.array(z.string().min(1)).default([]),
  steps: z.array(stepSchema).default([]),
  result: z.string().default('Done.'),
  outcome: z.enum(SIM_OUTCOMES).default('success'),
  /** Error text for `error`, `auth` and `rate_limit` outcomes and faults. */
  message: z.string().optional(),
  fault: z
    .strictObject({
      kind: z.enum(SIM_FAULTS),
      /** Steps completed before the fault (default: half of them). */
      afterStep: z.number().int().min(0).optional(),
      exitCode: z.number().int().min(0).max(255).optional(),
    })
    .optional(),
  pacing: pacingSchema.optional(),
});
export type SimRule = z.infer<typeof ruleSchema>;

export const scenarioSchema = z.strictObject({
  version: z.literal(1).default(1),
  pacing: pacingSchema.default({}),
  /** The CLI version each fake claims; Codex's decides how it reports usage. */
  claude: z.strictObject({ version: z.string().default('2.0.31') }).default({ version: '2.0.31' }),
  codex: z.strictObject({ version: z.string().default('0.155.1') }).default({ version: '0.155.1' }),
  rules: z.array(ruleSchema).min(1),
});
export type SimScenario = z.infer<typeof scenarioSchema>;
export type SimScenarioInput = z.input<typeof scenarioSchema>;
