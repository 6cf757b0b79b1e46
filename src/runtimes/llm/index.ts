/** The llm runtime: a direct, structured model call per attempt. */
export { artifactsSchema, buildPassPrompt, llmRuntime } from './llm-runtime.ts';
export { promptHash, type RecordedCallOptions, recordedCall } from './recorded-call.ts';
