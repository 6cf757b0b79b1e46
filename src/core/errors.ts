/**
 * keel's typed failure hierarchy. Every error a user can cause carries what they
 * need to fix it (a hint, and for definitions a location), and an exit code the
 * CLI uses without further mapping: 2 for usage, 1 for invalid data or state.
 */

/** A source position in a definition file, 1-based as editors show it. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

export interface KeelErrorOptions {
  hint?: string;
  cause?: unknown;
  /** Whether retrying the same operation may succeed (transient I/O, rate limits). */
  retryable?: boolean;
}

/** Base class of every error keel raises on purpose. */
export class KeelError extends Error {
  readonly code: string = 'KEEL_ERROR';
  readonly exitCode: number = 1;
  readonly hint: string | undefined;
  readonly retryable: boolean;

  constructor(message: string, options: KeelErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.hint = options.hint;
    this.retryable = options.retryable ?? false;
  }
}

/** The command line was wrong: unknown flag, missing argument, bad value. Exit 2. */
export class UsageError extends KeelError {
  override readonly code = 'USAGE';
  override readonly exitCode = 2;
}

/** A named thing (work item, workflow, gate…) does not exist. */
export class NotFoundError extends KeelError {
  override readonly code = 'NOT_FOUND';
}

/** Input data (a file, a body, a JSON map) is malformed or inconsistent. */
export class InvalidInputError extends KeelError {
  override readonly code = 'INVALID_INPUT';
}

/** The repository has no `.keel/` set-up where one is needed. */
export class NotInitializedError extends KeelError {
  override readonly code = 'NOT_INITIALIZED';
}

/** One problem found in the definitions, located precisely. */
export interface Diagnostic {
  severity: 'error' | 'warning';
  /** Stable rule id, e.g. `unknown-key`, `needs-cycle`. */
  rule: string;
  message: string;
  location: SourceLocation;
  /** Dotted path of the field inside the file, e.g. `passes[2].gates[0].reviewer`. */
  path: string;
  hint?: string;
}

/** The definitions under `.keel/` are invalid; carries every problem found in one run. */
export class DefinitionError extends KeelError {
  override readonly code = 'INVALID_DEFINITIONS';
  readonly diagnostics: readonly Diagnostic[];

  constructor(diagnostics: readonly Diagnostic[], options: KeelErrorOptions = {}) {
    const errors = diagnostics.filter((d) => d.severity === 'error').length;
    super(`${errors} problem${errors === 1 ? '' : 's'} in the definitions under .keel/`, {
      hint: options.hint ?? 'run `keel validate` to see each problem with its location',
      ...options,
    });
    this.diagnostics = diagnostics;
  }
}

/** The ledger's store failed or was found inconsistent. */
export class LedgerError extends KeelError {
  override readonly code = 'LEDGER';
}

/** Formats a location the way editors and terminals link it: `file:line:column`. */
export function formatLocation(location: SourceLocation): string {
  return `${location.file}:${location.line}:${location.column}`;
}

/** True for errors keel raised on purpose (as opposed to bugs). */
export function isKeelError(error: unknown): error is KeelError {
  return error instanceof KeelError;
}
