/**
 * Anthropic Messages on the wire: the `message` body, the named-event stream
 * (message_start, content_block_start, ping, content_block_delta,
 * content_block_stop, message_delta, message_stop) and the
 * `{"type":"error","error":{type,message}}` error body.
 */

import type { ReplyIds } from './openai-chat.ts';
import type { RequestFacts } from './request-facts.ts';
import type { Answer, ResolvedReply, SimUsage } from './scenario-runner.ts';
import { type SseEvent, splitText } from './sse.ts';
import type { WireError } from './wire-error.ts';

const STOP: Record<ResolvedReply['finishReason'], string> = {
  stop: 'end_turn',
  length: 'max_tokens',
  'tool-calls': 'tool_use',
};

/** Anthropic usage: cache reads and writes are counted apart from `input_tokens`. */
export function anthropicUsage(u: SimUsage) {
  return {
    input_tokens: u.input,
    cache_creation_input_tokens: u.cacheWrite,
    cache_read_input_tokens: u.cacheRead,
    cache_creation: { ephemeral_5m_input_tokens: u.cacheWrite, ephemeral_1h_input_tokens: 0 },
    output_tokens: u.output,
    ...(u.reasoning > 0 && { output_tokens_details: { thinking_tokens: u.reasoning } }),
    service_tier: 'standard',
  };
}

type Block =
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> };

function blocksOf(answer: Answer, facts: RequestFacts, ids: ReplyIds): Block[] {
  if (answer.kind === 'text') return [{ type: 'text', text: answer.text }];
  if (answer.kind === 'tool-call') {
    return [{ type: 'tool_use', id: ids.toolCallId, name: answer.name, input: answer.input }];
  }
  // Structured output comes back as text under output_config.format, and as a
  // forced `json` tool call in the AI SDK's tool fallback mode.
  if (facts.structured?.kind === 'json-tool') {
    return [
      {
        type: 'tool_use',
        id: ids.toolCallId,
        name: facts.structured.toolName,
        input: (answer.value ?? {}) as Record<string, unknown>,
      },
    ];
  }
  return [{ type: 'text', text: JSON.stringify(answer.value) }];
}

function stopReason(reply: ResolvedReply, blocks: Block[]): string {
  return blocks.some((b) => b.type === 'tool_use') ? 'tool_use' : STOP[reply.finishReason];
}

/** The non-streaming `message` body. */
export function anthropicMessage(reply: ResolvedReply, facts: RequestFacts, ids: ReplyIds) {
  const content = blocksOf(reply.answer, facts, ids);
  return {
    id: ids.id,
    type: 'message',
    role: 'assistant',
    model: facts.model,
    content,
    stop_reason: stopReason(reply, content),
    stop_sequence: null,
    usage: anthropicUsage(reply.usage),
  };
}

/** The named events of a streamed message, in the order the API sends them. */
export function anthropicEvents(
  reply: ResolvedReply,
  facts: RequestFacts,
  ids: ReplyIds,
): SseEvent[] {
  const blocks = blocksOf(reply.answer, facts, ids);
  const ev = (event: string, data: Record<string, unknown>, content = false): SseEvent => ({
    event,
    data: JSON.stringify({ type: event, ...data }),
    content,
  });
  const usage = anthropicUsage(reply.usage);
  const events: SseEvent[] = [
    ev('message_start', {
      message: {
        id: ids.id,
        type: 'message',
        role: 'assistant',
        model: facts.model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        // The opening usage carries the prompt side; output is counted at the end.
        usage: { ...usage, output_tokens: 1, output_tokens_details: undefined },
      },
    }),
  ];
  blocks.forEach((block, index) => {
    if (block.type === 'text') {
      events.push(ev('content_block_start', { index, content_block: { type: 'text', text: '' } }));
      if (index === 0) events.push(ev('ping', {}));
      for (const text of splitText(block.text, reply.chunkChars)) {
        events.push(
          ev('content_block_delta', { index, delta: { type: 'text_delta', text } }, true),
        );
      }
    } else {
      events.push(
        ev('content_block_start', {
          index,
          content_block: { type: 'tool_use', id: block.id, name: block.name, input: {} },
        }),
      );
      if (index === 0) events.push(ev('ping', {}));
      for (const partial of splitText(JSON.stringify(block.input), reply.chunkChars)) {
        events.push(
          ev(
            'content_block_delta',
            { index, delta: { type: 'input_json_delta', partial_json: partial } },
            true,
          ),
        );
      }
    }
    events.push(ev('content_block_stop', { index }));
  });
  events.push(
    ev('message_delta', {
      delta: { stop_reason: stopReason(reply, blocks), stop_sequence: null },
      usage: {
        input_tokens: usage.input_tokens,
        cache_creation_input_tokens: usage.cache_creation_input_tokens,
        cache_read_input_tokens: usage.cache_read_input_tokens,
        output_tokens: usage.output_tokens,
        ...(usage.output_tokens_details && { output_tokens_details: usage.output_tokens_details }),
      },
    }),
  );
  events.push(ev('message_stop', {}));
  return events;
}

/** An Anthropic error response; `requestId` goes in the body and the `request-id` header. */
export function anthropicError(
  status: number,
  type: string,
  message: string,
  requestId: string,
): WireError {
  return {
    status,
    body: { type: 'error', error: { type, message }, request_id: requestId },
    headers: {},
  };
}
