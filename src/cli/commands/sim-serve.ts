/**
 * `keel sim serve`: runs the model-API wind tunnel as a local server until
 * SIGINT/SIGTERM, printing where it listens and how to point keel (or any AI
 * SDK / official SDK client) at it. One log line per request goes to stderr.
 */
import { resolve } from 'node:path';
import { KeelError, UsageError } from '../../core/index.ts';
import { loadModelApiScenario, type ModelApiScenario, startModelApiSim } from '../../sim/index.ts';
import type { CommandModule } from '../context.ts';
import { commandGroup } from '../groups.ts';

interface ServeFlags {
  scenario?: string;
  port: string;
  host: string;
  json?: boolean;
  quiet?: boolean;
}

/** The environment that points the providers' SDKs at a wind tunnel listening on `url`. */
export function simEnvironment(url: string): Record<string, string> {
  return {
    OPENAI_BASE_URL: `${url}/v1`,
    ANTHROPIC_BASE_URL: `${url}/v1`,
    // Any non-empty key is accepted; a missing one is refused with 401, as the real APIs do.
    OPENAI_API_KEY: 'sk-wind-tunnel',
    ANTHROPIC_API_KEY: 'sk-ant-wind-tunnel',
  };
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65_535) {
    throw new UsageError(`--port must be a whole number from 0 to 65535, got "${value}"`, {
      hint: 'use --port 0 to pick a free port',
    });
  }
  return port;
}

export const simServeCommand: CommandModule = {
  register(program, context) {
    commandGroup(program, 'sim', 'wind-tunnel fakes of keel’s external dependencies')
      .command('serve')
      .description(
        'serve fake OpenAI and Anthropic model APIs (real wire protocols, scenario-driven faults)',
      )
      .option(
        '--scenario <file>',
        'scenario file (YAML or JSON); default: plausible deterministic answers',
      )
      .option('--port <n>', 'port to listen on (0 picks a free one)', '8787')
      .option('--host <address>', 'address to listen on', '127.0.0.1')
      .option('--json', 'print the URL and environment as one JSON line')
      .option('--quiet', 'do not log each request to stderr')
      .addHelpText(
        'after',
        '\nExample:\n  keel sim serve --scenario wind.yaml --port 0\nSee docs/wind-tunnel.md.',
      )
      .action(async (flags: ServeFlags) => {
        const ctx = context();
        const port = parsePort(flags.port);
        let scenario: ModelApiScenario | undefined;
        if (flags.scenario) scenario = await loadModelApiScenario(resolve(ctx.cwd, flags.scenario));
        const sim = await startModelApiSim({
          port,
          host: flags.host,
          // A server left running for a demo must not grow without bound.
          maxRecords: 1000,
          ...(scenario && { scenario }),
          ...(!flags.quiet && { log: (line: string) => ctx.out.err(ctx.out.errColor.dim(line)) }),
        }).catch((error: NodeJS.ErrnoException) => {
          throw new KeelError(
            `cannot listen on ${flags.host}:${port}: ${error.code ?? error.message}`,
            {
              hint:
                error.code === 'EADDRINUSE'
                  ? 'the port is taken; use another --port, or --port 0 for a free one'
                  : 'check --host and --port',
              cause: error,
            },
          );
        });
        // Listen for the stop signals before announcing the URL: a caller may signal as soon as it reads it.
        const stopped = new Promise<NodeJS.Signals>((done) => {
          process.once('SIGINT', () => done('SIGINT'));
          process.once('SIGTERM', () => done('SIGTERM'));
        });
        const env = simEnvironment(sim.url);
        if (flags.json) {
          ctx.out.line(
            JSON.stringify({ url: sim.url, port: sim.port, scenario: flags.scenario ?? null, env }),
          );
        } else {
          const c = ctx.out.color;
          ctx.out.line(`${c.bold('wind tunnel')} listening on ${c.cyan(sim.url)}`);
          ctx.out.line(
            `scenario: ${flags.scenario ?? '(default: plausible deterministic answers)'}`,
          );
          ctx.out.line('point keel and the provider SDKs at it with:');
          for (const [name, value] of Object.entries(env))
            ctx.out.line(`  export ${name}=${value}`);
          ctx.out.line(c.dim('stop with Ctrl-C'));
        }
        const signal = await stopped;
        await sim.close();
        const count = sim.requests.at(-1)?.seq ?? 0;
        ctx.out.err(
          `wind tunnel stopped (${signal}) after ${count} request${count === 1 ? '' : 's'}`,
        );
      });
  },
};
