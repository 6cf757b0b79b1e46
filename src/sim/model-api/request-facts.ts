/**
 * Reads what the wind tunnel needs to know from a provider request (who asks,
 * which model, the prompt, whether structured output or streaming is wanted),
 * the same way for each wire protocol, so matching and answering stay
 * protocol-neutral.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { SimProvider } from './scenario-schema.ts';

export type SimApi = 'openai-chat' | 'openai-responses' | 'anthropic-messages';

/** How the request asked for structured output, if it did. */
export type StructuredRequest =
  | { kind: 'json-schema'; schema: unknown }
  | { kind: 'json-object' }
  /** Anthropic via a forced tool named `json` (the AI SDK's fallback mode). */
  | { kind: 'json-tool'; toolName: string; schema: unknown };

/** A protocol-neutral view of one model request. */
export interface RequestFacts {
  provider: SimProvider;
  api: SimApi;
  model: string;
  stream: boolean;
  /** OpenAI `stream_options.include_usage`. */
  includeUsage: boolean;
  system: string;
  lastUserText: string;
  /** Characters of the whole prompt (system, messages, tool definitions), for default usage. */
  promptChars: number;
  structured: StructuredRequest | undefined;
  toolNames: string[];
  agent: string | undefined;
  pass: string | undefined;
  attempt: number | undefined;
  workItem: string | undefined;
}

type Json = Record<string, unknown>;

/** Extracts the facts of a Chat Completions or Messages request body. */
export function requestFacts(api: SimApi, body: Json, headers: IncomingHttpHeaders): RequestFacts {
  const keel = keelHeaders(headers);
  const common = {
    model: typeof body.model === 'string' ? body.model : '',
    stream: body.stream === true,
    promptChars:
      JSON.stringify(body.messages ?? []).length + JSON.stringify(body.tools ?? []).length,
    toolNames: toolNames(body.tools),
    ...keel,
  };
  if (api === 'openai-chat') {
    const messages = asArray(body.messages);
    const system = messages
      .filter((m) => m.role === 'system' || m.role === 'developer')
      .map((m) => contentText(m.content))
      .join('\n');
    const streamOptions = (body.stream_options ?? {}) as Json;
    return {
      ...common,
      provider: 'openai',
      api,
      includeUsage: streamOptions.include_usage === true,
      system,
      lastUserText: lastUserText(messages),
      structured: openaiStructured(body.response_format),
    };
  }
  if (api === 'openai-responses') {
    const input =
      typeof body.input === 'string'
        ? [{ role: 'user', content: body.input }]
        : asArray(body.input);
    const instructions = typeof body.instructions === 'string' ? [body.instructions] : [];
    const system = [
      ...instructions,
      ...input
        .filter((m) => m.role === 'system' || m.role === 'developer')
        .map((m) => contentText(m.content)),
    ].join('\n');
    const text = (body.text ?? {}) as Json;
    return {
      ...common,
      provider: 'openai',
      api,
      includeUsage: true,
      system,
      lastUserText: lastUserText(input),
      promptChars: common.promptChars + instructions.join('').length,
      structured: openaiStructured(text.format, true),
    };
  }
  const system = typeof body.system === 'string' ? body.system : contentText(body.system);
  return {
    ...common,
    provider: 'anthropic',
    api,
    includeUsage: true,
    system,
    lastUserText: lastUserText(asArray(body.messages)),
    promptChars: common.promptChars + system.length,
    structured: anthropicStructured(body),
  };
}

function keelHeaders(headers: IncomingHttpHeaders) {
  const one = (name: string): string | undefined => {
    const v = headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  const attempt = Number.parseInt(one('x-keel-attempt') ?? '', 10);
  return {
    agent: one('x-keel-agent'),
    pass: one('x-keel-pass'),
    attempt: Number.isFinite(attempt) ? attempt : undefined,
    workItem: one('x-keel-work-item'),
  };
}

/** Chat Completions nests the schema in `json_schema`; the Responses API's `text.format` holds it flat. */
function openaiStructured(format: unknown, flat = false): StructuredRequest | undefined {
  if (!format || typeof format !== 'object') return undefined;
  const f = format as Json;
  if (f.type === 'json_object') return { kind: 'json-object' };
  if (f.type === 'json_schema') {
    const js = (flat ? f : (f.json_schema ?? {})) as Json;
    return { kind: 'json-schema', schema: js.schema };
  }
  return undefined;
}

function anthropicStructured(body: Json): StructuredRequest | undefined {
  const outputConfig = (body.output_config ?? body.output_format) as Json | undefined;
  const format = (outputConfig?.format ?? outputConfig) as Json | undefined;
  if (format && format.type === 'json_schema')
    return { kind: 'json-schema', schema: format.schema };
  // The AI SDK's fallback for models without native structured output: a tool
  // named `json` that the model is forced to call (tool_choice `any` or that tool).
  const choice = (body.tool_choice ?? {}) as Json;
  const tools = asArray(body.tools);
  const jsonTool = tools.find((t) => t.name === 'json');
  const forced =
    choice.type === 'any' ? tools.length === 1 : choice.type === 'tool' && choice.name === 'json';
  if (jsonTool && forced)
    return { kind: 'json-tool', toolName: 'json', schema: jsonTool.input_schema };
  return undefined;
}

function toolNames(tools: unknown): string[] {
  return asArray(tools)
    .map((t) => (t.function as Json | undefined)?.name ?? t.name)
    .filter((n): n is string => typeof n === 'string');
}

function lastUserText(messages: Json[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (m?.role === 'user') return contentText(m.content);
  }
  return '';
}

/** Text of a message content: a string, or the text parts of a content array. */
function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  return asArray(content)
    .map((part) => (typeof part.text === 'string' ? part.text : ''))
    .filter((t) => t.length > 0)
    .join('\n');
}

function asArray(value: unknown): Json[] {
  return Array.isArray(value) ? value.filter((v): v is Json => !!v && typeof v === 'object') : [];
}
