/**
 * OpenAI Chat Completions on the wire: the `chat.completion` body, the
 * `chat.completion.chunk` stream (ending with the usage chunk when
 * `stream_options.include_usage` is set, then `data: [DONE]`), and the
 * `{"error": {message, type, param, code}}` error body.
 */
import type { RequestFacts } from './request-facts.ts';
import type { Answer, ResolvedReply, SimUsage } from './scenario-runner.ts';
import { type SseEvent, splitText } from './sse.ts';
import type { WireError } from './wire-error.ts';

export interface ReplyIds {
  id: string;
  toolCallId: string;
  created: number;
}

const FINISH: Record<ResolvedReply['finishReason'], string> = {
  stop: 'stop',
  length: 'length',
  'tool-calls': 'tool_calls',
};

/** OpenAI usage: cached tokens are part of `prompt_tokens`, reasoning part of `completion_tokens`. */
export function openaiUsage(u: SimUsage) {
  const prompt = u.input + u.cacheRead + u.cacheWrite;
  return {
    prompt_tokens: prompt,
    completion_tokens: u.output,
    total_tokens: prompt + u.output,
    prompt_tokens_details: { cached_tokens: u.cacheRead, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: u.reasoning,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

function messageContent(answer: Answer): string | null {
  if (answer.kind === 'text') return answer.text;
  if (answer.kind === 'json') return JSON.stringify(answer.value);
  return null;
}

/** The non-streaming `chat.completion` body. */
export function openaiCompletion(reply: ResolvedReply, facts: RequestFacts, ids: ReplyIds) {
  const a = reply.answer;
  return {
    id: ids.id,
    object: 'chat.completion',
    created: ids.created,
    model: facts.model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: messageContent(a),
          refusal: null,
          annotations: [],
          ...(a.kind === 'tool-call' && {
            tool_calls: [
              {
                id: ids.toolCallId,
                type: 'function',
                function: { name: a.name, arguments: JSON.stringify(a.input) },
              },
            ],
          }),
        },
        logprobs: null,
        finish_reason: FINISH[reply.finishReason],
      },
    ],
    usage: openaiUsage(reply.usage),
    service_tier: 'default',
    system_fingerprint: 'fp_windtunnel',
  };
}

/** The `chat.completion.chunk` events of a streamed answer, without the final `[DONE]`. */
export function openaiChunks(reply: ResolvedReply, facts: RequestFacts, ids: ReplyIds): SseEvent[] {
  const base = {
    id: ids.id,
    object: 'chat.completion.chunk',
    created: ids.created,
    model: facts.model,
    service_tier: 'default',
    system_fingerprint: 'fp_windtunnel',
  };
  // With include_usage, every chunk carries `usage: null` except the last one.
  const usageNull = facts.includeUsage ? { usage: null } : {};
  const chunk = (
    delta: Record<string, unknown>,
    finish: string | null = null,
    content = true,
  ): SseEvent => ({
    data: JSON.stringify({
      ...base,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
      ...usageNull,
    }),
    content,
  });
  const events: SseEvent[] = [
    chunk({ role: 'assistant', content: '', refusal: null }, null, false),
  ];
  const a = reply.answer;
  if (a.kind === 'tool-call') {
    events.push(
      chunk({
        tool_calls: [
          {
            index: 0,
            id: ids.toolCallId,
            type: 'function',
            function: { name: a.name, arguments: '' },
          },
        ],
      }),
    );
    for (const piece of splitText(JSON.stringify(a.input), reply.chunkChars)) {
      events.push(chunk({ tool_calls: [{ index: 0, function: { arguments: piece } }] }));
    }
  } else {
    for (const piece of splitText(messageContent(a) ?? '', reply.chunkChars)) {
      events.push(chunk({ content: piece }));
    }
  }
  events.push(chunk({}, FINISH[reply.finishReason], false));
  if (facts.includeUsage) {
    events.push({
      data: JSON.stringify({ ...base, choices: [], usage: openaiUsage(reply.usage) }),
      content: false,
    });
  }
  return events;
}

/** The terminating line of an OpenAI stream. */
export const OPENAI_DONE: SseEvent = { data: '[DONE]', content: false };

/** An OpenAI error response. */
export function openaiError(
  status: number,
  type: string,
  message: string,
  code: string | null = null,
): WireError {
  return { status, body: { error: { message, type, param: null, code } }, headers: {} };
}
