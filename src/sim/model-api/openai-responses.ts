/**
 * OpenAI Responses API on the wire (`POST /v1/responses`, what the AI SDK's
 * `openai('model')` calls): the `response` object with `output` items, and the
 * typed event stream (response.created … response.output_text.delta …
 * response.completed), each event named and numbered by `sequence_number`.
 */

import type { ReplyIds } from './openai-chat.ts';
import type { RequestFacts } from './request-facts.ts';
import type { Answer, ResolvedReply, SimUsage } from './scenario-runner.ts';
import { type SseEvent, splitText } from './sse.ts';

/** Responses usage: cached tokens are part of `input_tokens`, reasoning part of `output_tokens`. */
export function responsesUsage(u: SimUsage) {
  const input = u.input + u.cacheRead + u.cacheWrite;
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: u.cacheRead },
    output_tokens: u.output,
    output_tokens_details: { reasoning_tokens: u.reasoning },
    total_tokens: input + u.output,
  };
}

type Item =
  | { type: 'message'; id: string; text: string }
  | { type: 'function_call'; id: string; callId: string; name: string; arguments: string };

function itemOf(answer: Answer, ids: ReplyIds): Item {
  if (answer.kind === 'tool-call') {
    return {
      type: 'function_call',
      id: `fc_${ids.toolCallId}`,
      callId: ids.toolCallId,
      name: answer.name,
      arguments: JSON.stringify(answer.input),
    };
  }
  const text = answer.kind === 'text' ? answer.text : JSON.stringify(answer.value);
  return { type: 'message', id: `msg_${ids.id}`, text };
}

function outputText(text: string) {
  return { type: 'output_text', text, annotations: [], logprobs: [] };
}

function itemJson(item: Item, done: boolean) {
  const status = done ? 'completed' : 'in_progress';
  if (item.type === 'function_call') {
    return {
      type: 'function_call',
      id: item.id,
      call_id: item.callId,
      name: item.name,
      arguments: done ? item.arguments : '',
      status,
    };
  }
  return {
    type: 'message',
    id: item.id,
    status,
    role: 'assistant',
    content: done ? [outputText(item.text)] : [],
  };
}

function responseJson(
  reply: ResolvedReply,
  facts: RequestFacts,
  ids: ReplyIds,
  state: 'in_progress' | 'done',
) {
  const item = itemOf(reply.answer, ids);
  const incomplete = reply.finishReason === 'length';
  const done = state === 'done';
  return {
    id: ids.id,
    object: 'response',
    created_at: ids.created,
    status: done ? (incomplete ? 'incomplete' : 'completed') : 'in_progress',
    error: null,
    incomplete_details: done && incomplete ? { reason: 'max_output_tokens' } : null,
    model: facts.model,
    output: done ? [itemJson(item, true)] : [],
    parallel_tool_calls: true,
    service_tier: 'default',
    usage: done ? responsesUsage(reply.usage) : null,
  };
}

/** The non-streaming `response` object. */
export function responsesBody(reply: ResolvedReply, facts: RequestFacts, ids: ReplyIds) {
  return responseJson(reply, facts, ids, 'done');
}

/** The named events of a streamed response, in the order the API sends them. */
export function responsesEvents(
  reply: ResolvedReply,
  facts: RequestFacts,
  ids: ReplyIds,
): SseEvent[] {
  const item = itemOf(reply.answer, ids);
  const events: SseEvent[] = [];
  const ev = (type: string, data: Record<string, unknown>, content = false) =>
    events.push({
      event: type,
      data: JSON.stringify({ type, sequence_number: events.length, ...data }),
      content,
    });
  const at = { item_id: item.id, output_index: 0 };
  ev('response.created', { response: responseJson(reply, facts, ids, 'in_progress') });
  ev('response.in_progress', { response: responseJson(reply, facts, ids, 'in_progress') });
  ev('response.output_item.added', { output_index: 0, item: itemJson(item, false) });
  if (item.type === 'message') {
    ev('response.content_part.added', { ...at, content_index: 0, part: outputText('') });
    for (const delta of splitText(item.text, reply.chunkChars)) {
      ev('response.output_text.delta', { ...at, content_index: 0, delta, logprobs: [] }, true);
    }
    ev('response.output_text.done', { ...at, content_index: 0, text: item.text, logprobs: [] });
    ev('response.content_part.done', { ...at, content_index: 0, part: outputText(item.text) });
  } else {
    for (const delta of splitText(item.arguments, reply.chunkChars)) {
      ev('response.function_call_arguments.delta', { ...at, delta }, true);
    }
    ev('response.function_call_arguments.done', { ...at, arguments: item.arguments });
  }
  ev('response.output_item.done', { output_index: 0, item: itemJson(item, true) });
  const final = responseJson(reply, facts, ids, 'done');
  ev(final.status === 'incomplete' ? 'response.incomplete' : 'response.completed', {
    response: final,
  });
  return events;
}
