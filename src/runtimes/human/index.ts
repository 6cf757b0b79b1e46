/** The human runtime: a person's approval note is the pass's work. */
export { humanRuntime } from './human-runtime.ts';
