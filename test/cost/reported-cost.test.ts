import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareReportedCost } from '../../src/cost/index.ts';

describe('comparing keel cost with a tool-reported cost', () => {
  it('agrees within rounding: 3 µ$ per priced call plus 1 µ$', () => {
    // Claude Code reports full-precision floats; ten calls of ours may be off by 30 µ$.
    const r = compareReportedCost(44_250, 0.04428, 10);
    assert.equal(r.agrees, true);
    assert.equal(r.toleranceMicros, 44);
    assert.equal(r.differenceMicros, -30);
    assert.equal(r.flag, undefined);
  });

  it('flags a disagreement beyond tolerance, keeping both figures and saying which side is higher', () => {
    const r = compareReportedCost(44_250, 0.0531, 1);
    assert.equal(r.agrees, false);
    assert.equal(r.oursMicros, 44_250);
    assert.equal(r.reportedMicros, 53_100);
    assert.match(r.flag ?? '', /the tool reports more by \$0\.008850/);
  });

  it('scales the tolerance to 0.1% of large reported figures', () => {
    const r = compareReportedCost(12_010_000, 12.0, 3);
    assert.equal(r.toleranceMicros, 12_000);
    assert.equal(r.agrees, true);
    assert.equal(compareReportedCost(12_020_000, 12.0, 3).agrees, false);
  });
});
