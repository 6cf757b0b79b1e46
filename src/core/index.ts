/** The domain core shared by every module: typed errors and small value helpers. */
export * from './errors.ts';
