/**
 * `keel audit …`: checks on the ledger. `keel audit verify` walks the hash
 * chain and the head anchor and names the first event that was tampered with.
 */
import { loadDefinitions } from '../../definitions/index.ts';
import {
  defaultLedgerPath,
  type LedgerConfig,
  openLedger,
  type VerifyResult,
} from '../../ledger/index.ts';
import { findKeelRoot } from '../../repo/index.ts';
import type { CliContext, CommandModule } from '../context.ts';
import { commandGroup } from '../groups.ts';
import { ledgerConfigFor } from '../project.ts';

interface VerifyOptions {
  json?: boolean;
}

/** The `keel audit` group and its `verify` command. */
export const auditCommand: CommandModule = {
  register(program, context) {
    commandGroup(program, 'audit', 'check the integrity of the ledger')
      .command('verify')
      .description(
        'verify the ledger hash chain and head anchor; exit 1 naming the first bad event',
      )
      .option('--json', 'print the result as JSON')
      .action(async (options: VerifyOptions) => runVerify(context(), options));
  },
};

/**
 * The ledger to verify: the one keel.yaml's `store` names when the directory is
 * inside a keel project, else the default SQLite file under the directory. An
 * audit must still run when the definitions are broken, so it then falls back
 * to the default location, saying so.
 */
async function ledgerToVerify(ctx: CliContext): Promise<LedgerConfig> {
  const root = findKeelRoot(ctx.cwd);
  if (!root) return { kind: 'sqlite', path: defaultLedgerPath(ctx.cwd, ctx.env) };
  const { definitions } = await loadDefinitions(root);
  const config = ledgerConfigFor(root, definitions?.config.store, ctx.env);
  if (!definitions) {
    const where = config.kind === 'sqlite' ? config.path : 'the default location';
    ctx.out.err(
      `${ctx.out.errColor.yellow('warning:')} the definitions under .keel/ are invalid (see \`keel validate\`), so keel.yaml's store is not used: verifying ${where}`,
    );
  }
  return config;
}

async function runVerify(ctx: CliContext, options: VerifyOptions): Promise<void> {
  const ledger = await openLedger(await ledgerToVerify(ctx), { create: false, env: ctx.env });
  let result: VerifyResult;
  try {
    result = await ledger.verify();
  } finally {
    await ledger.close();
  }
  if (!result.ok) ctx.setExitCode(1);
  if (options.json) {
    ctx.out.json({ ledger: ledger.location, ...result });
    return;
  }
  const c = ctx.out.color;
  if (result.ok) {
    ctx.out.line(
      `${c.green('ledger verified:')} ${result.checked} events, head ${result.head.hash}`,
    );
    return;
  }
  const bad = result.firstBad;
  ctx.out.line(`${c.red('ledger verification failed:')} ${ledger.location}`);
  if (bad) {
    const what = bad.type && bad.id ? `${bad.type} ${bad.id}` : 'no longer present';
    ctx.out.line(`first bad event: seq ${bad.seq} (${what}): ${c.bold(bad.problem)}`);
    ctx.out.line(`  ${bad.detail}`);
  }
  ctx.out.line(`${result.checked} events before it verified intact`);
}
