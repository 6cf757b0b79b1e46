/**
 * Splits a byte or text stream into lines, whatever the chunk boundaries: a
 * line (or a multi-byte character) may arrive in several chunks.
 */
import { StringDecoder } from 'node:string_decoder';

/** Accumulates chunks and hands back complete lines. */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private buffer = '';

  /** Adds a chunk; returns the lines it completed, without their line endings. */
  push(chunk: string | Uint8Array): string[] {
    this.buffer += typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    const parts = this.buffer.split('\n');
    this.buffer = parts.pop() ?? '';
    return parts.map(stripCr);
  }

  /** Ends the stream; returns the last line when it had no final newline. */
  end(): string[] {
    const rest = this.buffer + this.decoder.end();
    this.buffer = '';
    return rest === '' ? [] : [stripCr(rest)];
  }
}

function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}
