/**
 * Runs a coding-agent CLI as a child process: streams its stdout into a parser,
 * enforces a timeout by killing the whole process group (the CLIs spawn their
 * own children), and turns every ending into a summary or a typed failure.
 */
import { spawn } from 'node:child_process';
import {
  type AgentEvent,
  AgentRunError,
  type AgentRunSummary,
  type AgentStreamParser,
  type ProcessExit,
} from './agent-run.ts';

export interface RunAgentCliOptions {
  command: string;
  /** What messages call the CLI (default: the command); e.g. `Claude Code` when the command is `node`. */
  name?: string;
  args: readonly string[];
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Written to the CLI's stdin, which is then closed. */
  stdin?: string;
  timeoutMs?: number;
  signal?: AbortSignal;
  onEvent?: (event: AgentEvent) => void;
  /** A fresh parser for this CLI's output (`new ClaudeStreamParser()`, `new CodexStreamParser()`). */
  parser: AgentStreamParser;
  /** Grace period between SIGTERM and SIGKILL when stopping the CLI; default 2 s. */
  killGraceMs?: number;
}

const STDERR_KEEP = 8192;

/** Spawns the CLI and resolves with its run summary, or rejects with an `AgentRunError`. */
export function runAgentCli(options: RunAgentCliOptions): Promise<AgentRunSummary> {
  const name = options.name ?? options.command;
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(new AgentRunError('aborted', `${name} was cancelled before it started`));
      return;
    }
    const child = spawn(options.command, [...options.args], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
      // Its own process group, so a timeout can stop the CLI and everything it started.
      detached: true,
    });
    let stderr = '';
    let stopped: 'timeout' | 'aborted' | undefined;
    let listenerError: unknown;
    let settled = false;
    let killTimer: NodeJS.Timeout | undefined;

    const stop = (why: 'timeout' | 'aborted'): void => {
      if (stopped || child.exitCode !== null) return;
      stopped = why;
      killGroup(child.pid, 'SIGTERM');
      killTimer = setTimeout(() => killGroup(child.pid, 'SIGKILL'), options.killGraceMs ?? 2000);
    };
    const timer =
      options.timeoutMs !== undefined
        ? setTimeout(() => stop('timeout'), options.timeoutMs)
        : undefined;
    const onAbort = (): void => stop('aborted');
    options.signal?.addEventListener('abort', onAbort, { once: true });

    const cleanup = (): void => {
      settled = true;
      if (timer) clearTimeout(timer);
      if (killTimer) clearTimeout(killTimer);
      options.signal?.removeEventListener('abort', onAbort);
    };

    child.stdout.on('data', (chunk: Buffer) => {
      if (listenerError !== undefined) return;
      try {
        for (const event of options.parser.push(chunk)) options.onEvent?.(event);
      } catch (error) {
        // A throwing progress listener is the caller's bug: stop the run and report it.
        listenerError = error;
        stop('aborted');
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-STDERR_KEEP);
    });
    child.stdin.on('error', () => {
      // The CLI exited before reading its input; its exit status tells the story.
    });
    child.on('error', (error) => {
      if (settled) return;
      cleanup();
      reject(
        new AgentRunError(
          'nonzero_exit',
          `could not start ${name} (${options.command}): ${error.message}`,
          {
            cause: error,
          },
        ),
      );
    });
    child.on('close', (code, signal) => {
      if (settled) return;
      cleanup();
      if (listenerError !== undefined) {
        reject(listenerError);
        return;
      }
      const exit: ProcessExit = { code, signal, stderr };
      let summary: AgentRunSummary | undefined;
      let failure: unknown;
      try {
        summary = options.parser.finish(exit);
      } catch (error) {
        failure = error;
      }
      if (stopped) {
        const partial = summary ?? (failure instanceof AgentRunError ? failure.partial : undefined);
        const message =
          stopped === 'timeout'
            ? `${name} did not finish within ${options.timeoutMs} ms and was stopped`
            : `${name} was cancelled`;
        reject(new AgentRunError(stopped, message, { partial, cause: failure }));
        return;
      }
      if (summary) resolve(summary);
      else reject(failure);
    });
    child.stdin.end(options.stdin ?? '');
  });
}

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}
