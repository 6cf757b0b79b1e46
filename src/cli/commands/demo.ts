/**
 * `keel demo`: the whole lifecycle in under a minute, with simulated models.
 * Creates a temporary git repository with a tiny Node module, runs `keel
 * init`, submits a feature, starts the wind tunnel in-process, and drives the
 * feature workflow end to end — a spec review that fails then passes after
 * rework, the project's tests as command gates, a human checkpoint before
 * integration (approved with --yes, else asked on the terminal) — then prints
 * what each pass cost.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { UsageError } from '../../core/index.ts';
import { requireDefinitions } from '../../definitions/index.ts';
import { initRepository } from '../../definitions/starter/index.ts';
import {
  adaptStarterForDemo,
  DEMO_AGENT_SCENARIO_FILE,
  DEMO_FEATURE,
  DEMO_SCENARIO_FILE,
  decideApproval,
  describeEvent,
  listPending,
  runWorkItems,
  SIM_CLAUDE_BIN,
  summarizeRun,
  writeDemoApp,
} from '../../engine/index.ts';
import { openLedger } from '../../ledger/index.ts';
import { loadModelApiScenario, startModelApiSim } from '../../sim/index.ts';
import { submitWorkItem } from '../../workitems/index.ts';
import type { CliContext, CommandModule } from '../context.ts';
import { ledgerConfigFor } from '../project.ts';
import { printSummaries } from './run.ts';

interface DemoFlags {
  yes?: boolean;
  keep?: boolean;
  json?: boolean;
}

const DEMO_APPROVER = 'alice';

export const demoCommand: CommandModule = {
  register(program, context) {
    program
      .command('demo')
      .description(
        'run a feature through the whole workflow in a temporary repository, with simulated models',
      )
      .option('--yes', 'approve the human checkpoint and gates without asking')
      .option('--keep', 'keep the temporary repository and print where it is')
      .option('--json', 'print the summary as JSON')
      .action(async (flags: DemoFlags) => run(context(), flags));
  },
};

async function run(ctx: CliContext, flags: DemoFlags): Promise<void> {
  if (!flags.yes && !process.stdin.isTTY) {
    throw new UsageError(
      'keel demo asks you to approve a checkpoint, but standard input is not a terminal',
      {
        hint: 'run it in a terminal, or pass --yes to approve automatically',
      },
    );
  }
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'keel-demo-')));
  const say = (text: string) => ctx.out.err(text);
  let keep = flags.keep === true;
  const sim = await startModelApiSim({ scenario: await loadModelApiScenario(DEMO_SCENARIO_FILE) });
  try {
    say(`keel demo: a temporary repository at ${dir}`);
    const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'ignore' });
    git('init', '--quiet', '--initial-branch=main');
    git('config', 'user.name', 'keel demo');
    git('config', 'user.email', 'demo@keel.invalid');
    writeDemoApp(dir);
    initRepository({ cwd: dir, force: false, names: {} });
    adaptStarterForDemo(dir);
    git('add', '-A');
    git('commit', '--quiet', '-m', 'A tiny greeter module, and keel init');
    say('  wrote a tiny Node module with its tests, ran keel init, committed');

    // Providers point at the in-process wind tunnel; the user's own keys are never used.
    const env: NodeJS.ProcessEnv = {
      ...ctx.env,
      ANTHROPIC_BASE_URL: `${sim.url}/v1`,
      OPENAI_BASE_URL: `${sim.url}/v1`,
      ANTHROPIC_API_KEY: 'sk-ant-keel-demo',
      OPENAI_API_KEY: 'sk-keel-demo',
      KEEL_LEDGER_PATH: '',
      // The coding agents are keel's fake Claude Code, editing the worktree as the scenario says.
      KEEL_CLAUDE_CODE_COMMAND: JSON.stringify([process.execPath, SIM_CLAUDE_BIN]),
      KEEL_SIM_SCENARIO: DEMO_AGENT_SCENARIO_FILE,
      KEEL_SIM_STATE_DIR: join(dir, '.keel', 'state', 'sim'),
      KEEL_SIM_SPEED: '0',
    };
    const definitions = await requireDefinitions(dir);
    const ledger = await openLedger(ledgerConfigFor(dir, definitions.config.store, env), { env });
    try {
      const item = await submitWorkItem(DEMO_FEATURE, {
        definitions,
        actor: DEMO_APPROVER,
        ledger,
      });
      say(
        `  submitted ${item.id} "${item.title}" → workflow ${item.workflow?.name}: ${item.passes.map((p) => p.id).join(' → ')}`,
      );
      say(
        `  the wind tunnel plays the models at ${sim.url}, and keel-sim-claude plays Claude Code (simulated, nothing is billed)\n`,
      );
      const ask = flags.yes
        ? undefined
        : createInterface({ input: process.stdin, output: process.stderr });
      let result: Awaited<ReturnType<typeof runWorkItems>>;
      try {
        for (;;) {
          result = await runWorkItems({
            root: dir,
            definitions,
            ledger,
            env,
            untilIdle: true,
            items: [item.id],
            onEvent: (e) => {
              const line = describeEvent(e);
              if (line) say(`  ${line}`);
            },
          });
          if (!result.idle) break;
          for (const p of await listPending(ledger)) {
            let approve = true;
            if (ask) {
              const answer = await ask.question(
                `\n  ${p.reason}\n  approve ${p.approvalId} as ${DEMO_APPROVER} (${p.role})? [y/N] `,
              );
              approve = /^y(es)?$/i.test(answer.trim());
            }
            await decideApproval(ledger, {
              approvalId: p.approvalId,
              decision: approve ? 'approved' : 'rejected',
              by: DEMO_APPROVER,
              note: flags.yes
                ? 'approved by keel demo --yes'
                : approve
                  ? 'approved in keel demo'
                  : 'rejected in keel demo',
            });
            say(
              `  ${p.approvalId} ${approve ? 'approved' : 'rejected'} as ${DEMO_APPROVER}${flags.yes ? ' (--yes)' : ''}`,
            );
          }
        }
      } finally {
        ask?.close();
      }
      const summaries = result.items.map((i) => summarizeRun(i.state, i.plan.plan));
      if (flags.json) {
        ctx.out.json({ repository: keep ? dir : null, simulated: true, items: summaries });
      } else {
        ctx.out.line();
        printSummaries(ctx, summaries);
        ctx.out.line(
          "The models were simulated by keel's wind tunnel, and Claude Code by keel-sim-claude: no provider was called and nothing was billed.",
        );
        ctx.out.line(
          "Token counts are the scenario's; costs are what those tokens cost at list prices.",
        );
        ctx.out.line();
        ctx.out.line('To run the same with a real provider, in your own repository:');
        ctx.out.line(
          '  export ANTHROPIC_API_KEY=…   # or OPENAI_API_KEY, as .keel/keel.yaml names them',
        );
        ctx.out.line('  keel init && keel submit --title "…" --type feature && keel run');
        if (keep)
          ctx.out.line(`\nThe demo repository is kept at ${dir} (try: keel -C ${dir} show WI-1).`);
      }
      if (summaries.some((s) => s.outcome !== 'done')) ctx.setExitCode(1);
    } finally {
      await ledger.close();
    }
  } catch (error) {
    keep = true;
    say(`the demo stopped; its repository is kept at ${dir}`);
    throw error;
  } finally {
    await sim.close();
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
}
