/** The registry from an agent's runtime kind to the runtime that executes its passes. */
import { commandRuntime } from './command/command-runtime.ts';
import { humanRuntime } from './human/human-runtime.ts';
import { llmRuntime } from './llm/llm-runtime.ts';
import { type Runtime, RuntimeFailure } from './runtime.ts';

/** The runtime for an agent's runtime kind; throws for kinds not wired in yet. */
export function runtimeFor(kind: string): Runtime {
  switch (kind) {
    case 'llm':
      return llmRuntime;
    case 'command':
      return commandRuntime;
    case 'human':
      return humanRuntime;
    default:
      throw new RuntimeFailure('infrastructure', `the ${kind} runtime cannot run passes yet`, {
        hint: 'use runtime: llm, command or human for this agent until the coding-agent runtimes are wired in',
      });
  }
}
