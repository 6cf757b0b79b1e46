/**
 * The `keel` program: parses the command line, runs one command, and maps every
 * failure to a clear message and exit code (2 usage, 1 invalid data or state).
 * It is a thin shell: commands call the domain modules and print their results.
 */
import { resolve } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { isKeelError, UsageError } from '../core/index.ts';
import { commands } from './commands/index.ts';
import type { CliContext } from './context.ts';
import { Output, type Streams } from './output.ts';

export interface MainOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  streams?: Streams;
}

/** Builds the commander program with every command registered. */
export function buildProgram(context: () => CliContext): Command {
  const program = new Command('keel')
    .description('Run AI coding agents as a disciplined, measured, budgeted lifecycle.')
    .version(process.env.npm_package_version ?? '0.1.0', '-V, --version')
    .addOption(new Option('-C, --dir <path>', 'run as if keel was started in <path>'))
    .showHelpAfterError('(run `keel help <command>` for its options)')
    .configureHelp({ sortSubcommands: false, showGlobalOptions: true })
    .exitOverride();
  for (const command of commands) command.register(program, context);
  for (const sub of program.commands) sub.exitOverride();
  return program;
}

/** Runs keel with the given arguments and returns the process exit code. */
export async function main(argv: readonly string[], options: MainOptions = {}): Promise<number> {
  const env = options.env ?? process.env;
  const streams = options.streams ?? { stdout: process.stdout, stderr: process.stderr };
  const out = new Output(streams, env);
  let exitCode = 0;
  let program: Command | undefined;
  const context = (): CliContext => {
    const dir = program?.opts<{ dir?: string }>().dir;
    return {
      cwd: resolve(options.cwd ?? process.cwd(), dir ?? '.'),
      env,
      out,
      setExitCode: (code) => {
        exitCode = code;
      },
    };
  };
  program = buildProgram(context);
  program.configureOutput({
    writeOut: (s) => streams.stdout.write(s),
    writeErr: (s) => streams.stderr.write(s),
    outputError: (s, write) => write(out.errColor.red(s)),
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    return reportFailure(error, out);
  }
}

function reportFailure(error: unknown, out: Output): number {
  if (error instanceof CommanderError) {
    // Help and version exit through here too, with code 0.
    if (error.exitCode === 0) return 0;
    return new UsageError(error.message).exitCode;
  }
  const c = out.errColor;
  if (isKeelError(error)) {
    out.err(`${c.red('error:')} ${error.message}`);
    if (error.hint) out.err(`${c.dim('hint:')} ${error.hint}`);
    return error.exitCode;
  }
  // A bug, not a user mistake: still no stack trace unless asked for.
  const message = error instanceof Error ? error.message : String(error);
  out.err(`${c.red('internal error:')} ${message}`);
  if (process.env.KEEL_DEBUG) out.err(error instanceof Error ? (error.stack ?? '') : '');
  else out.err(`${c.dim('hint:')} set KEEL_DEBUG=1 for the stack trace, and please report it`);
  return 70;
}
