import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { REDACTED, redactString, redactValue, secretEnvValues } from './redact.ts';

describe('secret redaction', () => {
  it('replaces credential-shaped substrings and keeps the surrounding text', () => {
    assert.equal(
      redactString('key=sk-ant-api03-AbCdEf0123456789xyz done', []),
      `key=${REDACTED} done`,
    );
    assert.equal(redactString('ghp_0123456789abcdefghijABCDEFGHIJ', []), REDACTED);
    assert.equal(redactString('github_pat_11ABCDEFG0123456789_abcdef', []), REDACTED);
    assert.equal(redactString('id AKIAIOSFODNN7EXAMPLE.', []), `id ${REDACTED}.`);
    assert.equal(
      redactString('Authorization: bearer abc.def-ghi_jkl', []),
      `Authorization: bearer ${REDACTED}`,
    );
  });

  it('leaves ordinary text alone, including short sk- words', () => {
    for (const text of [
      'sk-learn is a library',
      'task-123',
      'Bearer of news',
      'AKIA is not enough',
    ]) {
      assert.equal(redactString(text, []), text);
    }
  });

  it('collects the values of *_KEY, *_TOKEN and *_SECRET variables only', () => {
    const env = {
      OPENAI_API_KEY: 'k1-long-value',
      GH_TOKEN: 't0k3n-value',
      APP_SECRET: 's3cr3t-value',
      HOME: '/root',
      EMPTY_KEY: '',
    };
    assert.deepEqual(secretEnvValues(env).sort(), ['k1-long-value', 's3cr3t-value', 't0k3n-value']);
  });

  it('redacts a string equal to a secret value however short, and embedded ones when long enough', () => {
    assert.equal(redactString('abc', ['abc']), REDACTED);
    assert.equal(redactString('xabcx', ['abc']), 'xabcx');
    assert.equal(
      redactString('token is hunter2hunter2!', ['hunter2hunter2']),
      `token is ${REDACTED}!`,
    );
  });

  it('walks nested objects and arrays and leaves non-strings untouched', () => {
    const value = { a: [{ b: 'sk-0123456789abcdefghij' }], n: 3, ok: true, nil: null };
    assert.deepEqual(redactValue(value, []), { a: [{ b: REDACTED }], n: 3, ok: true, nil: null });
  });
});
