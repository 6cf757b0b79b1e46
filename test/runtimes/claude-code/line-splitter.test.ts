/** The line splitter: lines and multi-byte characters split across chunks arrive whole. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { LineSplitter } from '../../../src/runtimes/claude-code/index.ts';

describe('LineSplitter', () => {
  it('returns the same lines whatever the chunk boundaries, multi-byte characters included', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.string({ unit: 'grapheme', maxLength: 20 }).map((s) => s.replace(/[\r\n]/g, '')),
          { maxLength: 10 },
        ),
        fc.array(fc.nat(40), { maxLength: 10 }),
        (lines, cuts) => {
          const bytes = Buffer.from(lines.map((l) => `${l}\n`).join(''));
          const splitter = new LineSplitter();
          const out: string[] = [];
          let at = 0;
          for (const cut of cuts) {
            out.push(...splitter.push(bytes.subarray(at, at + cut)));
            at += cut;
          }
          out.push(...splitter.push(bytes.subarray(at)), ...splitter.end());
          assert.deepEqual(out, lines);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps a last line without a newline, and strips carriage returns', () => {
    const splitter = new LineSplitter();
    assert.deepEqual(splitter.push('a\r\nb'), ['a']);
    assert.deepEqual(splitter.end(), ['b']);
  });
});
