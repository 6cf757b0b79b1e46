/** Schema of `.keel/workflows/<name>.yaml`: passes, their gates, modes and selection. */
import { z } from 'zod';
import { WORK_ITEM_TYPES } from '../../core/index.ts';
import { argvSchema, durationSchema, escalationSchema, nameSchema } from './common.ts';

export const RESERVATION_MODES = ['IS', 'IX', 'S', 'SIX', 'X'] as const;

const criteriaSchema = z.array(z.string().min(1)).describe('Written acceptance criteria');

const commandCheck = z
  .strictObject({ run: argvSchema, timeout: durationSchema.optional() })
  .describe('Run a program; the gate passes when it exits 0');
const reviewCheck = z
  .strictObject({
    agent: nameSchema.describe('Reviewer agent; must differ from the pass author'),
    criteria: criteriaSchema.min(1),
  })
  .describe('A reviewer agent returns a verdict per criterion');
const humanCheck = z
  .strictObject({
    role: nameSchema.describe('The role that approves'),
    criteria: criteriaSchema.optional(),
  })
  .describe('A human approval');

/** A member of `all_of` / `any_of`: one check, without an id of its own. */
export const gateMemberSchema = z.strictObject({
  command: commandCheck.optional(),
  review: reviewCheck.optional(),
  human: humanCheck.optional(),
  get all_of() {
    return z.array(gateMemberSchema).min(1).optional();
  },
  get any_of() {
    return z.array(gateMemberSchema).min(1).optional();
  },
});

const gateSchema = z.strictObject({
  id: nameSchema,
  command: commandCheck.optional(),
  review: reviewCheck.optional(),
  human: humanCheck.optional(),
  all_of: z.array(gateMemberSchema).min(1).optional().describe('Passes when every member passes'),
  any_of: z.array(gateMemberSchema).min(1).optional().describe('Passes when one member passes'),
  on_fail: escalationSchema.optional().describe('Default: the pass agent’s escalation'),
  optional: z.boolean().optional().describe('Runs only when a mode adds it'),
});

const passSchema = z.strictObject({
  id: nameSchema,
  agent: nameSchema.describe('An agent name from .keel/agents'),
  description: z.string().optional(),
  needs: z.array(nameSchema).optional().describe('Pass ids this pass waits for'),
  inputs: z.array(z.string().min(1)).optional().describe('Artifacts produced by needed passes'),
  outputs: z.array(z.string().min(1)).optional().describe('Artifacts this pass produces'),
  actions: z.array(z.string().min(1)).optional().describe('High-stakes actions: deploy, delete, …'),
  resources: z
    .array(z.strictObject({ id: z.string().min(1), mode: z.enum(RESERVATION_MODES) }))
    .optional(),
  modes: z.array(nameSchema).optional().describe('Only runs in these modes'),
  tier: nameSchema.optional().describe('Pins the model tier'),
  gates: z.array(gateSchema).optional(),
});

const modeSchema = z.strictObject({
  tier_shift: z.int().optional().describe('Moves unpinned tiers up (+) or down (-)'),
  skip_gates: z.array(nameSchema).optional(),
  add_gates: z.array(nameSchema).optional().describe('Enables gates marked optional'),
});

/** `.keel/workflows/<name>.yaml`. */
export const workflowSchema = z
  .strictObject({
    name: nameSchema,
    version: z.int().positive(),
    description: z.string().optional(),
    selects: z
      .strictObject({
        types: z.array(z.enum(WORK_ITEM_TYPES)).optional(),
        labels: z.array(z.string().min(1)).optional(),
        priority: z.int().optional().describe('Tie-break when several match (higher wins)'),
      })
      .optional(),
    default_mode: nameSchema.optional(),
    modes: z.record(nameSchema, modeSchema).optional(),
    passes: z.array(passSchema).min(1),
  })
  .describe('A keel workflow (.keel/workflows/<name>.yaml)');

export type WorkflowFile = z.infer<typeof workflowSchema>;
export type PassInput = WorkflowFile['passes'][number];
export type GateInput = NonNullable<PassInput['gates']>[number];
export type GateMemberInput = z.infer<typeof gateMemberSchema>;
