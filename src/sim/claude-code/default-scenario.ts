/**
 * The scenario the fakes follow when none is given: an agent that thinks,
 * writes a short note of what it was asked under `sim-output/`, and
 * reports success — enough for a demo or a smoke test to see edits, commands,
 * usage and a result flow through.
 */
import { type SimScenario, scenarioSchema } from './scenario-schema.ts';

export const DEFAULT_SCENARIO: SimScenario = scenarioSchema.parse({
  version: 1,
  pacing: { startupMs: 300, stepMs: 400 },
  rules: [
    {
      name: 'default',
      steps: [
        {
          think: 'The task: {{summary}}. I will record what was asked, then report back.',
        },
        { say: 'I will write down what was asked and what I did.' },
        {
          write: {
            path: 'sim-output/{{pass}}.md',
            content:
              '# {{pass}} (attempt {{attempt}})\n\nTask: {{summary}}\n\nWritten by the keel wind-tunnel agent, session {{session}}.\n',
          },
        },
      ],
      result: 'Recorded the task in sim-output/{{pass}}.md.',
    },
  ],
});
