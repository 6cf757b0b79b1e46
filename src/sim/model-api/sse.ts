/** Server-sent events as the providers frame them, and text cut into stream-sized pieces. */

/** One event of a stream; `content` marks events that carry answer content (for truncation). */
export interface SseEvent {
  /** The SSE `event:` name (Anthropic names every event; OpenAI sends bare `data:` lines). */
  event?: string;
  data: string;
  content: boolean;
}

/** Frames one event as it goes on the wire. */
export function frameSse(e: SseEvent): string {
  return `${e.event ? `event: ${e.event}\n` : ''}data: ${e.data}\n\n`;
}

/** Splits text into pieces of about `size` characters, cutting after spaces where it can. */
export function splitText(text: string, size: number): string[] {
  if (text.length === 0) return [];
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > size) {
    const space = rest.lastIndexOf(' ', size);
    const cut = space > 0 ? space + 1 : size;
    pieces.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  if (rest.length > 0) pieces.push(rest);
  return pieces;
}
