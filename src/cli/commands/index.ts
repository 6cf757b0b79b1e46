/** Every command of the `keel` CLI, in the order `keel --help` lists them. */
import type { CommandModule } from '../context.ts';
import { agentsCommand } from './agents.ts';
import { approveCommand } from './approve.ts';
import { auditCommand } from './audit.ts';
import { budgetCommand } from './budget.ts';
import { costCommand } from './cost.ts';
import { demoCommand } from './demo.ts';
import { forecastCommand } from './forecast.ts';
import { initCommand } from './init.ts';
import { listCommand } from './list.ts';
import { pendingCommand } from './pending.ts';
import { pricesCommand } from './prices.ts';
import { queueCommand } from './queue.ts';
import { reportCommand } from './report.ts';
import { reservationsCommand } from './reservations.ts';
import { routeCommand } from './route.ts';
import { runCommand } from './run.ts';
import { schemaCommand } from './schema.ts';
import { showCommand } from './show.ts';
import { simAgentsCommand } from './sim-agents.ts';
import { simServeCommand } from './sim-serve.ts';
import { submitCommand } from './submit.ts';
import { validateCommand } from './validate.ts';

export const commands: readonly CommandModule[] = [
  initCommand,
  validateCommand,
  submitCommand,
  listCommand,
  showCommand,
  runCommand,
  pendingCommand,
  approveCommand,
  demoCommand,
  schemaCommand,
  agentsCommand,
  auditCommand,
  reportCommand,
  simAgentsCommand,
  simServeCommand,
  pricesCommand,
  routeCommand,
  costCommand,
  budgetCommand,
  forecastCommand,
  reservationsCommand,
  queueCommand,
];
