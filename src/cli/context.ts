/** What every command receives: where it runs, its environment and its output channel. */
import type { Output } from './output.ts';

export interface CliContext {
  /** Directory the command acts on (`-C DIR`, else the process's cwd). */
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly out: Output;
  /** Sets the process exit code without throwing (e.g. `validate` found problems). */
  setExitCode(code: number): void;
}

/** A CLI command: registers itself, with its options and help, on the program. */
export interface CommandModule {
  register(program: import('commander').Command, context: () => CliContext): void;
}
