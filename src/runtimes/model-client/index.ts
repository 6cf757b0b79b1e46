/** keel's model client: every call to a model provider goes through `callModel` (AI SDK underneath). */
export {
  type CallModelOptions,
  type CallTrace,
  type ChatMessage,
  callModel,
  keelHeaders,
  type ModelCallResult,
  type ProviderOptions,
  type RetryEvent,
} from './call-model.ts';
export { classifyError, retryAfterMs } from './classify-error.ts';
export {
  type AttemptRecord,
  AuthenticationError,
  BadRequestError,
  CancelledError,
  InvalidResponseError,
  ModelCallError,
  ModelConfigError,
  NetworkError,
  ProviderUnavailableError,
  RateLimitedError,
  StructuredOutputError,
  TimeoutError,
} from './errors.ts';
export { normalizeUsage } from './normalize-usage.ts';
export {
  PROVIDER_KINDS,
  type ProviderConfig,
  type ProviderKind,
  resolveApiKey,
} from './provider-model.ts';
export {
  backoffDelay,
  DEFAULT_RETRY_POLICY,
  decideRetry,
  type RetryDecision,
  type RetryPolicy,
} from './retry-policy.ts';
