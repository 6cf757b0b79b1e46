/**
 * Terminal output for every command: JSON for machines, aligned tables and
 * colour for people. Colour is used only on a TTY and never when NO_COLOR is set.
 */
import type { Writable } from 'node:stream';
import pc from 'picocolors';

export type Colors = ReturnType<typeof pc.createColors>;

export interface Streams {
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
}

/** Decides whether a stream should be coloured, following the NO_COLOR convention. */
export function colorEnabled(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true;
}

/** The output channel handed to commands. */
export class Output {
  readonly color: Colors;
  readonly errColor: Colors;
  readonly interactive: boolean;
  private readonly streams: Streams;

  constructor(streams: Streams, env: NodeJS.ProcessEnv) {
    this.streams = streams;
    this.color = pc.createColors(colorEnabled(streams.stdout, env));
    this.errColor = pc.createColors(colorEnabled(streams.stderr, env));
    this.interactive = streams.stdout.isTTY === true && env.CI === undefined;
  }

  /** Writes one line to stdout. */
  line(text = ''): void {
    this.streams.stdout.write(`${text}\n`);
  }

  /** Writes a value as pretty JSON to stdout; the shape is the command's documented contract. */
  json(value: unknown): void {
    this.streams.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  /** Writes one line to stderr (progress, warnings, errors). */
  err(text: string): void {
    this.streams.stderr.write(`${text}\n`);
  }

  /** Renders rows as an aligned table with a header. */
  table(headers: readonly string[], rows: readonly (readonly string[])[]): void {
    for (const line of renderTable(headers, rows, this.color)) this.line(line);
  }
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching ANSI escapes is the point
const ANSI = /\u001b\[[0-9;]*m/g;

/** Visible width of a string, ignoring colour escapes. */
export function visibleWidth(text: string): number {
  return text.replace(ANSI, '').length;
}

/** Lays out a table as lines of text; numbers-looking cells are right-aligned. */
export function renderTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  color?: Colors,
): string[] {
  const widths = headers.map((h, i) =>
    Math.max(visibleWidth(h), ...rows.map((r) => visibleWidth(r[i] ?? ''))),
  );
  const numeric = headers.map(
    (_, i) => rows.length > 0 && rows.every((r) => /^[-+$]?[\d.,]+%?$|^—$|^$/.test(r[i] ?? '')),
  );
  const pad = (cell: string, i: number): string => {
    const gap = ' '.repeat(Math.max(0, (widths[i] ?? 0) - visibleWidth(cell)));
    return numeric[i] ? gap + cell : cell + gap;
  };
  const bold = color ? color.bold : (s: string) => s;
  const lines = [bold(headers.map(pad).join('  ').trimEnd())];
  for (const row of rows)
    lines.push(
      headers
        .map((_, i) => pad(row[i] ?? '', i))
        .join('  ')
        .trimEnd(),
    );
  return lines;
}
