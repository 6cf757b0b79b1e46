/**
 * The scenario the fakes follow when none is given: an agent that thinks,
 * answers with a short note of what it was asked, and reports success. It
 * edits nothing: a default that wrote files would fall outside most agents'
 * `access` globs and fail every pass; keel takes the final message as a
 * single-output pass's artifact. Scenarios prescribe real edits.
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
        { say: 'I will report what was asked; this simulated agent changes no files.' },
      ],
      result:
        '# {{pass}} (attempt {{attempt}})\n\nTask: {{summary}}\n\nAnswered by the keel wind-tunnel agent, session {{session}}; no files were changed.\n',
    },
  ],
});
