/** The zod schemas of the three definition files; the raw file types are inferred from them. */
export * from './agent.ts';
export * from './common.ts';
export * from './keel-config.ts';
export * from './workflow.ts';
