/**
 * Picks the renderer of each wire protocol: ids in the provider's style, the
 * non-streaming body, the stream's events, and the in-stream error event.
 */
import { anthropicEvents, anthropicMessage } from './anthropic-messages.ts';
import { OPENAI_DONE, openaiChunks, openaiCompletion, type ReplyIds } from './openai-chat.ts';
import { responsesBody, responsesEvents } from './openai-responses.ts';
import type { RequestFacts, SimApi } from './request-facts.ts';
import type { ResolvedReply } from './scenario-runner.ts';
import type { SseEvent } from './sse.ts';

/** The in-stream error each API sends when it fails mid-answer (overloaded, as is most common). */
export function streamErrorEvent(
  api: SimApi,
  message: string | undefined,
  sequence: number,
): SseEvent {
  switch (api) {
    case 'anthropic-messages':
      return {
        event: 'error',
        data: JSON.stringify({
          type: 'error',
          error: { type: 'overloaded_error', message: message ?? 'Overloaded' },
        }),
        content: false,
      };
    case 'openai-chat':
      return {
        data: JSON.stringify({
          error: {
            message: message ?? 'The server had an error while processing your request.',
            type: 'server_error',
            param: null,
            code: null,
          },
        }),
        content: false,
      };
    case 'openai-responses':
      return {
        event: 'error',
        data: JSON.stringify({
          type: 'error',
          sequence_number: sequence,
          code: 'server_error',
          message: message ?? 'The server had an error while processing your request.',
          param: null,
        }),
        content: false,
      };
  }
}

/** Provider-style ids, numbered by the request's sequence number so runs are reproducible. */
export function replyIds(api: SimApi, seq: number): ReplyIds {
  const created = Math.floor(Date.now() / 1000);
  const padded = (n: number) => String(seq).padStart(n, '0');
  switch (api) {
    case 'openai-chat':
      return { id: `chatcmpl-sim${seq}`, toolCallId: `call_sim${seq}`, created };
    case 'openai-responses':
      return { id: `resp_sim${padded(20)}`, toolCallId: `call_sim${seq}`, created };
    case 'anthropic-messages':
      return { id: `msg_sim${padded(20)}`, toolCallId: `toolu_sim${padded(18)}`, created };
  }
}

/** The non-streaming response body for the API. */
export function bodyFor(
  api: SimApi,
  reply: ResolvedReply,
  facts: RequestFacts,
  ids: ReplyIds,
): unknown {
  switch (api) {
    case 'openai-chat':
      return openaiCompletion(reply, facts, ids);
    case 'openai-responses':
      return responsesBody(reply, facts, ids);
    case 'anthropic-messages':
      return anthropicMessage(reply, facts, ids);
  }
}

/** The stream's events for the API, in order. */
export function eventsFor(
  api: SimApi,
  reply: ResolvedReply,
  facts: RequestFacts,
  ids: ReplyIds,
): SseEvent[] {
  switch (api) {
    case 'openai-chat':
      return [...openaiChunks(reply, facts, ids), OPENAI_DONE];
    case 'openai-responses':
      return responsesEvents(reply, facts, ids);
    case 'anthropic-messages':
      return anthropicEvents(reply, facts, ids);
  }
}
