/** The registry from an agent's runtime kind to the runtime that executes its passes. */
import { claudeCodeRuntime } from './claude-code/claude-runtime.ts';
import { codexRuntime } from './codex/codex-runtime.ts';
import { commandRuntime } from './command/command-runtime.ts';
import { humanRuntime } from './human/human-runtime.ts';
import { llmRuntime } from './llm/llm-runtime.ts';
import { type Runtime, RuntimeFailure } from './runtime.ts';

/** The runtime for an agent's runtime kind; throws for an unknown kind. */
export function runtimeFor(kind: string): Runtime {
  switch (kind) {
    case 'llm':
      return llmRuntime;
    case 'command':
      return commandRuntime;
    case 'human':
      return humanRuntime;
    case 'claude-code':
      return claudeCodeRuntime;
    case 'codex':
      return codexRuntime;
    default:
      throw new RuntimeFailure('infrastructure', `the ${kind} runtime cannot run passes yet`, {
        hint: 'use one of the runtimes: llm, claude-code, codex, command, human',
      });
  }
}
