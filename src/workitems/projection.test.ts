import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RecordedEvent, WorkItemPlanned, WorkItemSubmitted } from './events.ts';
import { projectWorkItem, projectWorkItems } from './projection.ts';

function submitted(n: number): WorkItemSubmitted {
  return {
    version: 1,
    id: `WI-${n}`,
    number: n,
    title: `item ${n}`,
    body: '',
    type: 'feature',
    priority: 'P2',
    org: 'acme',
    project: 'shop',
    team: 'payments',
    owner: 'alice',
    labels: [],
    source: null,
    budgetUsd: null,
  };
}

const plan: WorkItemPlanned = {
  version: 1,
  workflow: { name: 'feature', version: 2, file: '.keel/workflows/feature.yaml' },
  mode: 'balanced',
  reason: 'selects type feature',
  passes: [
    {
      id: 'spec',
      agent: 'specifier',
      needs: [],
      inputs: [],
      outputs: ['spec.md'],
      actions: [],
      tier: 'standard',
      gates: [],
    },
    {
      id: 'impl',
      agent: 'implementer',
      needs: ['spec'],
      inputs: ['spec.md'],
      outputs: [],
      actions: [],
      tier: 'standard',
      gates: [{ id: 'tests', kind: 'command' }],
    },
  ],
};

let seq = 0;
function event(type: string, workItemId: string | null, data: unknown): RecordedEvent {
  seq += 1;
  return { seq, type, at: `2026-11-22T10:00:0${seq % 10}.000Z`, actor: 'alice', workItemId, data };
}

describe('projectWorkItem', () => {
  it('is undefined for events of an item that was never submitted', () => {
    assert.equal(projectWorkItem([event('work_item.planned', 'WI-9', plan)]), undefined);
  });

  it('marks passes without needs ready and the rest pending once planned', () => {
    const view = projectWorkItem([
      event('work_item.submitted', 'WI-1', submitted(1)),
      event('work_item.planned', 'WI-1', plan),
    ]);
    assert.ok(view);
    assert.equal(view.status, 'planned');
    assert.equal(view.workflow?.name, 'feature');
    assert.deepEqual(
      view.passes.map((p) => [p.id, p.state]),
      [
        ['spec', 'ready'],
        ['impl', 'pending'],
      ],
    );
    assert.equal(view.timeline.length, 2);
    assert.match(view.timeline[1]?.summary ?? '', /spec → impl/);
  });

  it('keeps events it does not know in the timeline', () => {
    const view = projectWorkItem([
      event('work_item.submitted', 'WI-1', submitted(1)),
      event('budget.approaching', 'WI-1', {}),
    ]);
    assert.deepEqual(
      view?.timeline.map((t) => t.type),
      ['work_item.submitted', 'budget.approaching'],
    );
  });
});

describe('projectWorkItems', () => {
  it('groups interleaved events per item and orders items by number', () => {
    const views = projectWorkItems([
      event('work_item.submitted', 'WI-2', submitted(2)),
      event('work_item.submitted', 'WI-1', submitted(1)),
      event('work_item.planned', 'WI-2', plan),
      event('ledger.note', null, {}),
    ]);
    assert.deepEqual(
      views.map((v) => [v.id, v.status]),
      [
        ['WI-1', 'submitted'],
        ['WI-2', 'planned'],
      ],
    );
  });
});
