/** Every command of the `keel` CLI, in the order `keel --help` lists them. */
import type { CommandModule } from '../context.ts';
import { agentsCommand } from './agents.ts';
import { auditCommand } from './audit.ts';
import { initCommand } from './init.ts';
import { reportCommand } from './report.ts';
import { schemaCommand } from './schema.ts';
import { simAgentsCommand } from './sim-agents.ts';
import { validateCommand } from './validate.ts';

export const commands: readonly CommandModule[] = [
  initCommand,
  validateCommand,
  schemaCommand,
  agentsCommand,
  auditCommand,
  reportCommand,
  simAgentsCommand,
];
