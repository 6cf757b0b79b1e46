/** Period bounds and ISO weeks, the calendar edges of the report. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isoWeek, parseTimeBound } from '../../src/metrics/index.ts';

const NOW = Date.UTC(2026, 5, 15, 12) / 1000;

describe('time bounds', () => {
  it('reads ages back from now, ISO dates and date-times, and all', () => {
    assert.equal(parseTimeBound('90d', NOW), NOW - 90 * 86400);
    assert.equal(parseTimeBound('2w', NOW), NOW - 14 * 86400);
    assert.equal(parseTimeBound('36h', NOW), NOW - 36 * 3600);
    assert.equal(parseTimeBound('2026-01-31', NOW), Date.UTC(2026, 0, 31) / 1000);
    assert.equal(parseTimeBound('2026-01-31T12:30:00Z', NOW), Date.UTC(2026, 0, 31, 12, 30) / 1000);
    assert.equal(
      parseTimeBound('2026-01-31T12:30:00+02:00', NOW),
      Date.UTC(2026, 0, 31, 10, 30) / 1000,
    );
    assert.equal(parseTimeBound('all', NOW), null);
  });

  it('rejects free text and impossible dates', () => {
    for (const bad of ['last tuesday', '90 days', '2026-13-45', '', '-5d', '3m'])
      assert.equal(parseTimeBound(bad, NOW), undefined, bad);
  });
});

describe('ISO weeks', () => {
  it('puts year-end days in the week of their Thursday', () => {
    assert.equal(isoWeek(Date.UTC(2026, 0, 1) / 1000), '2026-W01');
    assert.equal(isoWeek(Date.UTC(2025, 11, 29) / 1000), '2026-W01');
    assert.equal(isoWeek(Date.UTC(2027, 0, 1) / 1000), '2026-W53');
    assert.equal(isoWeek(Date.UTC(2027, 0, 4) / 1000), '2027-W01');
    assert.equal(isoWeek(Date.UTC(2026, 0, 11, 23, 59) / 1000), '2026-W02');
  });
});
