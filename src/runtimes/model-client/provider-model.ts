/**
 * Builds the AI SDK language model for a provider configuration: the only
 * place keel talks to a provider. The API key comes from the environment
 * variable the configuration names and is handed straight to the SDK.
 */
import { createAnthropic } from '@ai-sdk/anthropic';
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import type { LanguageModel } from 'ai';
import { ModelConfigError } from './errors.ts';

export const PROVIDER_KINDS = ['anthropic', 'openai', 'openai-compatible'] as const;
export type ProviderKind = (typeof PROVIDER_KINDS)[number];

/** Where and how to reach a provider. */
export interface ProviderConfig {
  kind: ProviderKind;
  /** Base URL including the version path (`…/v1`); defaults to the provider's own (or the SDK's env var). */
  baseUrl?: string;
  /** Name of the environment variable holding the API key. */
  apiKeyEnv?: string;
  /** Provider name used in messages and usage records; defaults to `kind`. */
  name?: string;
}

const DEFAULT_KEY_ENV: Record<ProviderKind, string | undefined> = {
  anthropic: 'ANTHROPIC_API_KEY',
  openai: 'OPENAI_API_KEY',
  // Local servers (Ollama, vLLM, llama.cpp) usually need no key.
  'openai-compatible': undefined,
};

const BASE_URL_ENV: Record<ProviderKind, string | undefined> = {
  anthropic: 'ANTHROPIC_BASE_URL',
  openai: 'OPENAI_BASE_URL',
  'openai-compatible': undefined,
};

/** Reads the API key from the named variable; a missing key names the variable, never a value. */
export function resolveApiKey(
  config: ProviderConfig,
  model: string,
  env: NodeJS.ProcessEnv,
): string | undefined {
  const variable = config.apiKeyEnv ?? DEFAULT_KEY_ENV[config.kind];
  if (variable === undefined) return undefined;
  const key = env[variable];
  if (key === undefined || key.trim() === '') {
    throw new ModelConfigError(`the API key variable ${variable} is not set`, {
      provider: config.name ?? config.kind,
      model,
      hint: `export ${variable}=… (or name another variable with apiKeyEnv in the provider config)`,
    });
  }
  return key;
}

/** The AI SDK model for `config` and `model`, using `fetch` for every request. */
export function providerModel(
  config: ProviderConfig,
  model: string,
  env: NodeJS.ProcessEnv,
  fetch: typeof globalThis.fetch,
): LanguageModel {
  const apiKey = resolveApiKey(config, model, env);
  const envBase = BASE_URL_ENV[config.kind];
  const baseURL = config.baseUrl ?? (envBase ? env[envBase] : undefined);
  switch (config.kind) {
    case 'anthropic':
      return createAnthropic({ apiKey, baseURL, fetch })(model);
    case 'openai':
      // Chat Completions rather than the SDK's default Responses API: one wire
      // protocol for OpenAI and every OpenAI-compatible server (see ADR 0007).
      return createOpenAI({ apiKey, baseURL, fetch }).chat(model);
    case 'openai-compatible': {
      if (!baseURL) {
        throw new ModelConfigError('an openai-compatible provider needs a baseUrl', {
          provider: config.name ?? config.kind,
          model,
          hint: 'set baseUrl, e.g. http://localhost:11434/v1 for Ollama',
        });
      }
      return createOpenAICompatible({
        name: config.name ?? 'openai-compatible',
        baseURL,
        apiKey,
        fetch,
        includeUsage: true,
        supportsStructuredOutputs: true,
      }).chatModel(model);
    }
  }
}
