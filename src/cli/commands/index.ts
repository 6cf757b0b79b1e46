/** Every command of the `keel` CLI, in the order `keel --help` lists them. */
import type { CommandModule } from '../context.ts';
import { auditCommand } from './audit.ts';
import { initCommand } from './init.ts';

export const commands: readonly CommandModule[] = [initCommand, auditCommand];
