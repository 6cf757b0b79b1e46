/**
 * `keel sim claude …` and `keel sim codex …`: the coding-agent fakes of the wind
 * tunnel, run in-process with exactly the arguments the real CLIs take, plus
 * `--scenario FILE` (instead of `KEEL_SIM_SCENARIO`).
 */
import { resolve } from 'node:path';
import { UsageError } from '../../core/index.ts';
import { quietOnClosedPipe, runClaudeSim, runCodexSim, type SimIO } from '../../sim/index.ts';
import type { CliContext, CommandModule } from '../context.ts';
import { commandGroup } from '../groups.ts';

type SimRunner = typeof runClaudeSim;

const FAKES: readonly { name: string; real: string; run: SimRunner; example: string }[] = [
  {
    name: 'claude',
    real: 'Claude Code (`claude -p --output-format stream-json --verbose`)',
    run: runClaudeSim,
    example: 'keel sim claude -p --output-format stream-json --verbose "fix the bug"',
  },
  {
    name: 'codex',
    real: 'Codex (`codex exec --json`)',
    run: runCodexSim,
    example: 'keel sim codex exec --json --full-auto "fix the bug"',
  },
];

/** Splits `--scenario FILE` / `--scenario=FILE` out of the fake's own arguments. */
export function extractScenario(args: readonly string[]): { scenario?: string; rest: string[] } {
  const rest: string[] = [];
  let scenario: string | undefined;
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] as string;
    if (arg === '--') {
      rest.push(...args.slice(i));
      break;
    }
    if (arg === '--scenario') {
      scenario = args[++i];
      if (scenario === undefined)
        throw new UsageError('--scenario needs a file', {
          hint: 'keel sim claude --scenario agents.yaml -p …',
        });
    } else if (arg.startsWith('--scenario=')) scenario = arg.slice('--scenario='.length);
    else rest.push(arg);
  }
  return scenario === undefined ? { rest } : { scenario, rest };
}

function contextIO(ctx: CliContext): SimIO {
  quietOnClosedPipe();
  return {
    cwd: ctx.cwd,
    env: ctx.env,
    readStdin: async () => {
      if (process.stdin.isTTY) return '';
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
    out: (line) => ctx.out.line(line),
    err: (line) => ctx.out.err(line),
  };
}

export const simAgentsCommand: CommandModule = {
  register(program, context) {
    const sim = commandGroup(program, 'sim', 'wind-tunnel fakes of keel’s external dependencies');
    for (const fake of FAKES) {
      sim
        .command(fake.name)
        .description(
          `fake ${fake.real}: same flags and output format, scenario-driven edits and faults (--scenario FILE)`,
        )
        .argument('[args...]', 'the arguments the real CLI takes')
        .helpOption(false)
        .allowUnknownOption()
        .allowExcessArguments()
        .addHelpText('after', `\nExample:\n  ${fake.example}\nSee docs/coding-agents.md.`)
        .action(async (args: string[]) => {
          const ctx = context();
          const { scenario, rest } = extractScenario(args);
          const scenarioFile = scenario === undefined ? undefined : resolve(ctx.cwd, scenario);
          const code = await fake.run(rest, contextIO(ctx), scenarioFile ? { scenarioFile } : {});
          ctx.setExitCode(code);
        });
    }
  },
};
