import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { forecastWorkItem, type PastItem } from '../../src/cost/index.ts';

function item(id: string, over: Partial<PastItem>): PastItem {
  return {
    id,
    type: 'feature',
    workflow: 'feature',
    costMicros: 1_000_000,
    durationHours: 10,
    ...over,
  };
}

const history: PastItem[] = [
  item('F1', { costMicros: 20_000_000, durationHours: 30, signals: { filesTouched: 5 } }),
  item('F2', { costMicros: 25_000_000, durationHours: 40, signals: { filesTouched: 6 } }),
  item('F3', { costMicros: 30_000_000, durationHours: 50, signals: { filesTouched: 8 } }),
  item('F4', {
    costMicros: 400_000_000,
    durationHours: 200,
    signals: { filesTouched: 120, reposTouched: 3, contractsTouched: 2 },
  }),
  item('F5', {
    costMicros: 500_000_000,
    durationHours: 260,
    signals: { filesTouched: 150, reposTouched: 3, contractsTouched: 3 },
  }),
  item('F6', {
    costMicros: 450_000_000,
    durationHours: 220,
    signals: { filesTouched: 90, reposTouched: 2, contractsTouched: 2 },
  }),
  item('D1', { type: 'docs', workflow: 'docs', costMicros: 300_000, durationHours: 2 }),
];

describe('work item forecast', () => {
  it('forecasts a small feature from the nearest small features, with percentiles and the items used', () => {
    const f = forecastWorkItem(
      history,
      { type: 'feature', workflow: 'feature', signals: { filesTouched: 6 } },
      { k: 3 },
    );
    assert.equal(f.status, 'forecast');
    if (f.status !== 'forecast') return;
    assert.deepEqual(f.similar, ['F2', 'F1', 'F3']);
    assert.deepEqual(f.costMicros, {
      p50: 25_000_000,
      p80: 30_000_000,
      p90: 30_000_000,
      max: 30_000_000,
    });
    assert.deepEqual(f.durationHours, { p50: 40, p80: 50, p90: 50, max: 50 });
    assert.match(f.basis, /3 nearest by size of 6 feature items of workflow feature/);
  });

  it('forecasts a cross-repository feature from the large ones', () => {
    const f = forecastWorkItem(
      history,
      {
        type: 'feature',
        workflow: 'feature',
        signals: { filesTouched: 100, reposTouched: 3, contractsTouched: 2 },
      },
      { k: 3 },
    );
    assert.equal(f.status === 'forecast' ? f.costMicros.p50 : 0, 450_000_000);
  });

  it('falls back from workflow and type to type alone, and says so', () => {
    const f = forecastWorkItem(history, { type: 'feature', workflow: 'feature-v2' });
    assert.match(f.status === 'forecast' ? f.basis : '', /feature items of any workflow/);
  });

  it('declines to forecast without enough comparable history', () => {
    const f = forecastWorkItem(history, { type: 'docs', workflow: 'docs' });
    assert.equal(f.status, 'no-history');
  });
});
