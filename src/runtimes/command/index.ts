/** The command runtime and the argv runner command gates share. */
export { commandRuntime } from './command-runtime.ts';
export { type ArgvResult, runArgv } from './run-argv.ts';
