/**
 * `keel schema`: writes the JSON Schemas of keel.yaml, workflows and agent
 * frontmatter (generated from the validator's own zod schemas) for editors.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { InvalidInputError } from '../../core/index.ts';
import { findDefinitionsRoot, jsonSchemas, KEEL_DIR } from '../../definitions/index.ts';
import type { CliContext, CommandModule } from '../context.ts';

interface SchemaFlags {
  out?: string;
  json?: boolean;
}

/** Registers `keel schema`. */
export const schemaCommand: CommandModule = {
  register(program: Command, context: () => CliContext) {
    program
      .command('schema')
      .description(
        'write JSON Schemas of the definition files for editors (default .keel/schemas/)',
      )
      .option(
        '--out <dir>',
        'directory to write keel.schema.json, workflow.schema.json, agent.schema.json',
      )
      .option('--json', 'print { files } as JSON')
      .action((flags: SchemaFlags) => runSchema(context(), flags));
  },
};

async function runSchema(ctx: CliContext, flags: SchemaFlags): Promise<void> {
  const base = (await findDefinitionsRoot(ctx.cwd)) ?? ctx.cwd;
  const dir = flags.out ? resolve(ctx.cwd, flags.out) : join(base, KEEL_DIR, 'schemas');
  const schemas = Object.entries(jsonSchemas());
  try {
    await mkdir(dir, { recursive: true });
    // Write every file beside its target first, then rename: all three appear, or none changes.
    for (const [name, schema] of schemas) {
      await writeFile(join(dir, `.${name}.tmp`), `${JSON.stringify(schema, null, 2)}\n`);
    }
    for (const [name] of schemas) await rename(join(dir, `.${name}.tmp`), join(dir, name));
  } catch (error) {
    throw new InvalidInputError(`cannot write the schemas to ${dir}: ${(error as Error).message}`, {
      cause: error,
      hint: 'choose a writable directory with --out',
    });
  }
  const files = schemas.map(([name]) => {
    const rel = relative(ctx.cwd, join(dir, name));
    return rel.startsWith('..') ? join(dir, name) : rel;
  });
  if (flags.json) {
    ctx.out.json({ files });
    return;
  }
  for (const file of files) ctx.out.line(`wrote ${file}`);
  ctx.out.err(
    ctx.out.errColor.dim(
      'hint: see docs/definitions.md to wire them into your editor (yaml-language-server or VS Code yaml.schemas)',
    ),
  );
}
