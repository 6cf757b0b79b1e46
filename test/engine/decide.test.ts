/**
 * The decision core as tables: a run state built from a few events, the plan,
 * and the actions `decide` must return. No I/O.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type Action,
  decide,
  projectRun,
  type RunPlan,
  tierAbove,
} from '../../src/engine/index.ts';
import type { RecordedEvent } from '../../src/workitems/index.ts';

const ITEM = 'WI-1';

const plan: RunPlan = {
  itemId: ITEM,
  tiers: ['economy', 'standard', 'frontier'],
  roles: { 'tech-lead': { name: 'tech-lead', members: ['alice'] } },
  passes: [
    {
      id: 'spec',
      agent: 'author',
      runtime: 'llm',
      needs: [],
      tier: 'economy',
      checkpoints: [],
      gates: [
        {
          id: 'review',
          kind: 'review',
          human: undefined,
          onFail: [
            { kind: 'rework', max: 1 },
            { kind: 'escalate-tier', max: 1 },
            { kind: 'human', role: 'tech-lead' },
          ],
        },
      ],
    },
    {
      id: 'deploy',
      agent: 'author',
      runtime: 'llm',
      needs: ['spec'],
      tier: 'economy',
      checkpoints: [{ id: 'prod', role: { name: 'release', members: ['dave'] } }],
      gates: [
        {
          id: 'ok',
          kind: 'human',
          human: { name: 'tech-lead', members: ['alice'] },
          onFail: [{ kind: 'abort' }],
        },
      ],
    },
  ],
};

let seq = 0;
const ev = (type: string, data: Record<string, unknown>): RecordedEvent => ({
  seq: ++seq,
  type,
  at: '2026-01-01T00:00:00.000Z',
  actor: 'keel',
  workItemId: ITEM,
  data,
});
const started = (pass: string, attempt: number, tier = 'economy', reason = 'first') =>
  ev('attempt.started', {
    pass,
    attempt,
    generationId: `G${pass}${attempt}`,
    tier,
    reason,
    findings: [],
  });
const finished = (pass: string, attempt: number, outcome: string, error?: object) =>
  ev('attempt.finished', {
    pass,
    attempt,
    generationId: `G${pass}${attempt}`,
    outcome,
    findings: ['f'],
    ...(error && { error }),
  });
const gate = (pass: string, attempt: number, g: string, verdict: string) =>
  ev('gate.decided', {
    pass,
    attempt,
    gate: g,
    verdict,
    findings: verdict === 'failed' ? ['missing non-goals'] : [],
  });
const escalation = (pass: string, attempt: number, g: string, step: string, stepIndex: number) =>
  ev('escalation.applied', { pass, attempt, gate: g, step, stepIndex, used: 1, max: 1 });
const passed = (pass: string) => ev('pass.completed', { pass, outcome: 'passed', reason: 'ok' });
const requested = (approvalId: string, pass: string) =>
  ev('approval.requested', { approvalId, pass, kind: 'x', role: 'r', members: [], reason: '' });
const decided = (approvalId: string, decision: string) =>
  ev('approval.decided', { approvalId, decision, by: 'dave', note: '' });

const summary = (a: Action): string => {
  switch (a.kind) {
    case 'start_attempt':
      return `start ${a.pass}#${a.attempt} ${a.reason}@${a.tier}${a.findings.length ? ` [${a.findings.join('|')}]` : ''}`;
    case 'evaluate_gate':
      return `gate ${a.pass}#${a.attempt} ${a.gate}`;
    case 'apply_escalation':
      return `escalate ${a.record.pass} ${a.record.gate} ${a.record.step}`;
    case 'request_approval':
      return `request ${a.request.approvalId} (${a.request.role})`;
    case 'wait':
      return `wait ${a.approvalId}`;
    case 'close_interrupted':
      return `close ${a.pass}#${a.attempt}`;
    case 'complete_pass':
      return `complete ${a.pass} ${a.outcome}${a.item ? ` item ${a.item.outcome}` : ''}`;
    case 'complete_item':
      return `item ${a.outcome}`;
  }
};

const rows: { name: string; events: RecordedEvent[]; busy?: string[]; expect: string[] }[] = [
  {
    name: 'a new item starts its first pass at the planned tier',
    events: [],
    expect: ['start spec#1 first@economy'],
  },
  {
    name: 'a pass with work in flight here is left alone',
    events: [started('spec', 1)],
    busy: ['spec'],
    expect: [],
  },
  {
    name: 'an attempt started but never finished (a crash) is closed as interrupted',
    events: [started('spec', 1)],
    expect: ['close spec#1'],
  },
  {
    name: 'an interrupted attempt is retried as a new attempt on the same tier',
    events: [started('spec', 1), finished('spec', 1, 'interrupted')],
    expect: ['start spec#2 after_interruption@economy'],
  },
  {
    name: 'a succeeded attempt goes to its first undecided gate',
    events: [started('spec', 1), finished('spec', 1, 'succeeded')],
    expect: ['gate spec#1 review'],
  },
  {
    name: 'a failed gate with no step applied yet picks the first usable step of its ladder',
    events: [
      started('spec', 1),
      finished('spec', 1, 'succeeded'),
      gate('spec', 1, 'review', 'failed'),
    ],
    expect: ['escalate spec review rework'],
  },
  {
    name: 'rework re-runs the pass with the gate findings',
    events: [
      started('spec', 1),
      finished('spec', 1, 'succeeded'),
      gate('spec', 1, 'review', 'failed'),
      escalation('spec', 1, 'review', 'rework', 0),
    ],
    expect: ['start spec#2 rework@economy [missing non-goals]'],
  },
  {
    name: 'once rework is used up the ladder escalates the tier',
    events: [
      started('spec', 1),
      finished('spec', 1, 'succeeded'),
      gate('spec', 1, 'review', 'failed'),
      escalation('spec', 1, 'review', 'rework', 0),
      started('spec', 2),
      finished('spec', 2, 'succeeded'),
      gate('spec', 2, 'review', 'failed'),
    ],
    expect: ['escalate spec review escalate-tier'],
  },
  {
    name: 'escalate-tier re-runs one tier up',
    events: [
      started('spec', 1),
      finished('spec', 1, 'succeeded'),
      gate('spec', 1, 'review', 'failed'),
      escalation('spec', 1, 'review', 'escalate-tier', 1),
    ],
    expect: ['start spec#2 escalate_tier@standard [missing non-goals]'],
  },
  {
    name: 'a human step asks the role for approval',
    events: [
      started('spec', 1),
      finished('spec', 1, 'succeeded'),
      gate('spec', 1, 'review', 'failed'),
      escalation('spec', 1, 'review', 'human', 2),
    ],
    expect: ['request WI-1/spec/review/escalation (tech-lead)'],
  },
  {
    name: 'an approved human step accepts the pass despite the failed gate',
    events: [
      started('spec', 1),
      finished('spec', 1, 'succeeded'),
      gate('spec', 1, 'review', 'failed'),
      escalation('spec', 1, 'review', 'human', 2),
      requested('WI-1/spec/review/escalation', 'spec'),
      decided('WI-1/spec/review/escalation', 'approved'),
    ],
    expect: ['complete spec passed'],
  },
  {
    name: 'a rejected human step aborts the item',
    events: [
      started('spec', 1),
      finished('spec', 1, 'succeeded'),
      gate('spec', 1, 'review', 'failed'),
      escalation('spec', 1, 'review', 'human', 2),
      requested('WI-1/spec/review/escalation', 'spec'),
      decided('WI-1/spec/review/escalation', 'rejected'),
    ],
    expect: ['complete spec failed item aborted'],
  },
  {
    name: 'an attempt that failed without reaching its gates is retried with its findings',
    events: [
      started('spec', 1),
      finished('spec', 1, 'failed', { kind: 'infrastructure', message: '500' }),
    ],
    expect: ['start spec#2 retry@economy [f]'],
  },
  {
    name: 'the third failed attempt fails the pass and the item',
    events: [
      started('spec', 1),
      finished('spec', 1, 'failed', { kind: 'infrastructure', message: '500' }),
      started('spec', 2),
      finished('spec', 2, 'failed', { kind: 'infrastructure', message: '500' }),
      started('spec', 3),
      finished('spec', 3, 'failed', { kind: 'infrastructure', message: '500' }),
    ],
    expect: ['complete spec failed item failed'],
  },
  {
    name: 'a pass whose gates all passed completes',
    events: [
      started('spec', 1),
      finished('spec', 1, 'succeeded'),
      gate('spec', 1, 'review', 'passed'),
    ],
    expect: ['complete spec passed'],
  },
  {
    name: 'a checkpoint is requested before its pass runs',
    events: [passed('spec')],
    expect: ['request WI-1/deploy/checkpoint (release)'],
  },
  {
    name: 'an undecided checkpoint waits',
    events: [passed('spec'), requested('WI-1/deploy/checkpoint', 'deploy')],
    expect: ['wait WI-1/deploy/checkpoint'],
  },
  {
    name: 'an approved checkpoint lets the pass start',
    events: [
      passed('spec'),
      requested('WI-1/deploy/checkpoint', 'deploy'),
      decided('WI-1/deploy/checkpoint', 'approved'),
    ],
    expect: ['start deploy#1 first@economy'],
  },
  {
    name: 'a rejected checkpoint aborts the item',
    events: [
      passed('spec'),
      requested('WI-1/deploy/checkpoint', 'deploy'),
      decided('WI-1/deploy/checkpoint', 'rejected'),
    ],
    expect: ['complete deploy failed item aborted'],
  },
  {
    name: 'a human gate requests its role before it is evaluated',
    events: [
      passed('spec'),
      requested('WI-1/deploy/checkpoint', 'deploy'),
      decided('WI-1/deploy/checkpoint', 'approved'),
      started('deploy', 1),
      finished('deploy', 1, 'succeeded'),
    ],
    expect: ['request WI-1/deploy/ok (tech-lead)'],
  },
  {
    name: 'a decided human gate is evaluated',
    events: [
      passed('spec'),
      requested('WI-1/deploy/checkpoint', 'deploy'),
      decided('WI-1/deploy/checkpoint', 'approved'),
      started('deploy', 1),
      finished('deploy', 1, 'succeeded'),
      requested('WI-1/deploy/ok', 'deploy'),
      decided('WI-1/deploy/ok', 'approved'),
    ],
    expect: ['gate deploy#1 ok'],
  },
  {
    name: 'every pass passed completes the item',
    events: [passed('spec'), passed('deploy')],
    expect: ['item done'],
  },
  {
    name: 'a completed item needs nothing more',
    events: [
      passed('spec'),
      passed('deploy'),
      ev('work_item.completed', { outcome: 'done', reason: '' }),
    ],
    expect: [],
  },
];

describe('decide', () => {
  for (const row of rows) {
    it(row.name, () => {
      const state = projectRun(ITEM, row.events);
      assert.deepEqual(decide(state, plan, new Set(row.busy ?? [])).map(summary), row.expect);
    });
  }

  it('exhausts the ladder into an abort when no step is usable any more', () => {
    const onePass: RunPlan = {
      ...plan,
      passes: [
        {
          ...(plan.passes[0] as RunPlan['passes'][number]),
          gates: [
            {
              id: 'review',
              kind: 'review',
              human: undefined,
              onFail: [{ kind: 'rework', max: 1 }],
            },
          ],
        },
      ],
    };
    const state = projectRun(ITEM, [
      started('spec', 1),
      finished('spec', 1, 'succeeded'),
      gate('spec', 1, 'review', 'failed'),
      escalation('spec', 1, 'review', 'rework', 0),
      started('spec', 2),
      finished('spec', 2, 'succeeded'),
      gate('spec', 2, 'review', 'failed'),
    ]);
    assert.deepEqual(decide(state, onePass, new Set()).map(summary), [
      'escalate spec review exhausted',
    ]);
  });

  it('never climbs above the top tier', () => {
    assert.equal(tierAbove(['economy', 'standard'], 'standard'), undefined);
    assert.equal(tierAbove(['economy', 'standard'], 'economy'), 'standard');
    assert.equal(tierAbove(['economy'], 'unknown'), undefined);
  });
});
