import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UsageError } from '../core/index.ts';
import { parseSubmission } from './submission.ts';

const base = { title: 'Add CSV export', type: 'feature', priority: 'P2' as const };

describe('parseSubmission', () => {
  it('accepts a minimal submission and fills defaults', () => {
    const s = parseSubmission(base);
    assert.equal(s.title, 'Add CSV export');
    assert.equal(s.body, '');
    assert.deepEqual(s.labels, []);
  });

  it('removes duplicate labels while keeping their order', () => {
    assert.deepEqual(parseSubmission({ ...base, labels: ['api', 'ui', 'api'] }).labels, [
      'api',
      'ui',
    ]);
  });

  it('names every invalid field by its flag in one error', () => {
    assert.throws(
      () => parseSubmission({ ...base, title: '  ', budgetUsd: -3, source: 'not a link' }),
      (error: unknown) => {
        assert.ok(error instanceof UsageError);
        assert.match(error.message, /--title: must not be empty/);
        assert.match(error.message, /--budget: must be greater than zero/);
        assert.match(error.message, /--source: must be an http\(s\) URL or an issue key/);
        return true;
      },
    );
  });

  it('rejects a multi-line title and an unknown priority', () => {
    assert.throws(
      () => parseSubmission({ ...base, title: 'a\nb' }),
      /--title: must be a single line/,
    );
    assert.throws(
      () => parseSubmission({ ...base, priority: 'P9' as 'P0' }),
      /--priority: must be one of P0, P1, P2, P3/,
    );
  });

  it('accepts issue keys and URLs as sources', () => {
    assert.equal(parseSubmission({ ...base, source: 'SHOP-123' }).source, 'SHOP-123');
    assert.equal(
      parseSubmission({ ...base, source: 'https://github.com/acme/shop/issues/9' }).source,
      'https://github.com/acme/shop/issues/9',
    );
  });
});
