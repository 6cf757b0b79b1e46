/** Schema of the YAML frontmatter of `.keel/agents/<name>.md`. */
import { z } from 'zod';
import { AGENT_CATEGORIES } from '../../core/index.ts';
import { escalationSchema, nameSchema, runtimeSchema } from './common.ts';

/** The frontmatter of an agent file; the markdown body is its instructions. */
export const agentSchema = z
  .strictObject({
    name: nameSchema.describe('Must equal the file name without .md'),
    version: z.int().positive(),
    category: z.enum(AGENT_CATEGORIES),
    description: z.string().min(1),
    capabilities: z.array(z.string().min(1)).optional(),
    context: z
      .strictObject({
        paths: z.array(z.string().min(1)).optional().describe('Globs it reads'),
        artifacts: z.array(z.string().min(1)).optional().describe('Artifacts it reads'),
      })
      .optional(),
    access: z
      .strictObject({
        write: z.array(z.string().min(1)).optional().describe('Globs it may write'),
        resources: z.array(z.string().min(1)).optional().describe('Resources it may reserve'),
      })
      .optional(),
    runtime: runtimeSchema.optional().describe('Default: llm'),
    tier: nameSchema.optional().describe('Default model tier'),
    escalation: escalationSchema.optional().describe('Default on_fail for gates on its passes'),
  })
  .describe('A keel agent (frontmatter of .keel/agents/<name>.md)');

export type AgentFrontmatter = z.infer<typeof agentSchema>;
export type RuntimeInput = AgentFrontmatter['runtime'];
