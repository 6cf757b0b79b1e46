/**
 * JSON Schemas for editors, generated from the same zod schemas the validator
 * uses, so the two cannot drift. Editors use them for completion and early
 * errors; `keel validate` remains the authority (cross-file rules need it).
 */
import type { z } from 'zod';
import { z as zod } from 'zod';
import { agentSchema, keelConfigSchema, workflowSchema } from './schemas/index.ts';

export const SCHEMA_FILES = {
  'keel.schema.json': { schema: keelConfigSchema, title: 'keel settings (.keel/keel.yaml)' },
  'workflow.schema.json': {
    schema: workflowSchema,
    title: 'keel workflow (.keel/workflows/*.yaml)',
  },
  'agent.schema.json': { schema: agentSchema, title: 'keel agent frontmatter (.keel/agents/*.md)' },
} as const satisfies Record<string, { schema: z.ZodType; title: string }>;

export type SchemaFileName = keyof typeof SCHEMA_FILES;

/** The JSON Schema (draft-07, what yaml-language-server supports) of each definition file, keyed by its file name. */
export function jsonSchemas(): Record<SchemaFileName, Record<string, unknown>> {
  const out = {} as Record<SchemaFileName, Record<string, unknown>>;
  for (const [name, { schema, title }] of Object.entries(SCHEMA_FILES) as [
    SchemaFileName,
    (typeof SCHEMA_FILES)[SchemaFileName],
  ][]) {
    const generated = zod.toJSONSchema(schema, { target: 'draft-7', io: 'input' }) as Record<
      string,
      unknown
    >;
    out[name] = { ...generated, title };
  }
  return out;
}
