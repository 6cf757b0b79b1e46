import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { canonicalJson } from './canonical-json.ts';

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops whitespace', () => {
    assert.equal(
      canonicalJson({ b: 1, a: { d: [true, null], c: 'x' } }),
      '{"a":{"c":"x","d":[true,null]},"b":1}',
    );
  });

  it('serialises objects with the same content identically whatever their key order', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (obj) => {
        const reversed = Object.fromEntries(Object.entries(obj).reverse());
        return canonicalJson(obj) === canonicalJson(reversed);
      }),
      { numRuns: 200 },
    );
  });

  it('is a fixed point through JSON.parse, so a stored value hashes the same when read back', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const once = canonicalJson(value);
        return canonicalJson(JSON.parse(once)) === once;
      }),
      { numRuns: 300 },
    );
  });

  it('leaves out undefined object fields and writes undefined array items as null', () => {
    assert.equal(canonicalJson({ a: undefined, b: [undefined] }), '{"b":[null]}');
  });

  it('rejects values that are not JSON, naming where they are', () => {
    assert.throws(() => canonicalJson({ a: [1, Number.NaN] }), /at \$\.a\[1\] is not JSON \(NaN\)/);
    assert.throws(() => canonicalJson({ when: new Date(0) }), /at \$\.when is not JSON \(Date\)/);
    assert.throws(() => canonicalJson({ n: 10n }), /at \$\.n is not JSON \(bigint\)/);
  });
});
