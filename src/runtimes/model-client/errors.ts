/**
 * The typed failures of a model call. Each says whether retrying may help, so
 * the retry policy (and the engine above it) decides on the kind of failure,
 * never on message text. Messages name the provider and model, never a key.
 */
import { KeelError, type KeelErrorOptions, type TokenUsage } from '../../core/index.ts';

/** The attempt history of a failed call, so the engine can record every retry. */
export interface AttemptRecord {
  /** HTTP status when the provider answered, else undefined (network, timeout, cancel). */
  status: number | undefined;
  /** The failure's class name (`RateLimitedError`…); undefined for the successful attempt. */
  error: string | undefined;
  message: string | undefined;
  /** How long keel waited after this attempt before the next one (0 for the last). */
  delayMs: number;
  latencyMs: number;
  /** Tokens the attempt consumed, when the provider reported them. */
  usage?: TokenUsage;
}

export interface ModelCallErrorOptions extends KeelErrorOptions {
  provider: string;
  model: string;
  status?: number | undefined;
}

/** Base of every model-call failure. */
export class ModelCallError extends KeelError {
  override readonly code: string = 'MODEL_CALL';
  readonly provider: string;
  readonly model: string;
  readonly status: number | undefined;
  /** Every attempt made, filled in when the call gives up. */
  attempts: readonly AttemptRecord[] = [];

  constructor(message: string, options: ModelCallErrorOptions) {
    super(`${options.provider}/${options.model}: ${message}`, options);
    this.provider = options.provider;
    this.model = options.model;
    this.status = options.status;
  }
}

/** 429: the provider asks us to slow down; `retryAfterMs` is its `retry-after` when sent. */
export class RateLimitedError extends ModelCallError {
  override readonly code = 'MODEL_RATE_LIMITED';
  readonly retryAfterMs: number | undefined;

  constructor(
    message: string,
    options: ModelCallErrorOptions & { retryAfterMs?: number | undefined },
  ) {
    super(message, {
      hint: 'keel retries after the delay the provider asks for',
      ...options,
      retryable: true,
    });
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** 5xx or 529: the provider is down or overloaded. */
export class ProviderUnavailableError extends ModelCallError {
  override readonly code = 'MODEL_PROVIDER_UNAVAILABLE';
  constructor(message: string, options: ModelCallErrorOptions) {
    super(message, {
      hint: 'a transient provider failure; keel retries with backoff',
      ...options,
      retryable: true,
    });
  }
}

/** The connection failed before the provider answered. */
export class NetworkError extends ModelCallError {
  override readonly code = 'MODEL_NETWORK';
  constructor(message: string, options: ModelCallErrorOptions) {
    super(message, {
      hint: 'check the provider base URL and the network',
      ...options,
      retryable: true,
    });
  }
}

/** The attempt took longer than its `timeoutMs`. */
export class TimeoutError extends ModelCallError {
  override readonly code = 'MODEL_TIMEOUT';
  readonly timeoutMs: number;
  constructor(message: string, options: ModelCallErrorOptions & { timeoutMs: number }) {
    super(message, {
      hint: 'raise the timeout or use a faster model',
      ...options,
      retryable: true,
    });
    this.timeoutMs = options.timeoutMs;
  }
}

/** The provider answered with something unreadable: malformed JSON, or a response cut off. */
export class InvalidResponseError extends ModelCallError {
  override readonly code = 'MODEL_INVALID_RESPONSE';
  constructor(message: string, options: ModelCallErrorOptions) {
    super(message, {
      hint: 'a broken response; keel retries it once',
      ...options,
      retryable: true,
    });
  }
}

/** 401/403: the API key is missing, wrong or not allowed. */
export class AuthenticationError extends ModelCallError {
  override readonly code = 'MODEL_AUTHENTICATION';
  constructor(message: string, options: ModelCallErrorOptions) {
    super(message, {
      hint: 'check the API key in the environment variable the provider config names',
      ...options,
      retryable: false,
    });
  }
}

/** 4xx other than 401/403/429: the request itself is wrong; retrying cannot help. */
export class BadRequestError extends ModelCallError {
  override readonly code = 'MODEL_BAD_REQUEST';
  constructor(message: string, options: ModelCallErrorOptions) {
    super(message, {
      hint: 'check the model name and the request options',
      ...options,
      retryable: false,
    });
  }
}

/** The model's answer does not parse or does not match the schema; `text` is what it said. */
export class StructuredOutputError extends ModelCallError {
  override readonly code = 'MODEL_STRUCTURED_OUTPUT';
  readonly text: string | undefined;
  constructor(message: string, options: ModelCallErrorOptions & { text?: string | undefined }) {
    super(message, {
      hint: 'the model did not follow the output schema; keel asks again',
      ...options,
      retryable: true,
    });
    this.text = options.text;
  }
}

/** The caller's AbortSignal fired. */
export class CancelledError extends ModelCallError {
  override readonly code = 'MODEL_CANCELLED';
  constructor(message: string, options: ModelCallErrorOptions) {
    super(message, { ...options, retryable: false });
  }
}

/** The provider configuration cannot be used (missing API key variable, missing base URL). */
export class ModelConfigError extends ModelCallError {
  override readonly code = 'MODEL_CONFIG';
  constructor(message: string, options: ModelCallErrorOptions) {
    super(message, { ...options, retryable: false });
  }
}
