/** The domain core shared by every module: typed errors, vocabularies, usage. */
export * from './domain.ts';
export * from './errors.ts';
export * from './usage.ts';
