/**
 * Token-bucket arithmetic for rate-limited resources. Levels are kept scaled by
 * the period so refill is integer arithmetic: replaying grants at the same times
 * reproduces the same levels exactly, with no floating-point drift.
 */
import type { RateInfo } from './catalog.ts';

export interface Bucket {
  level: number;
  at: number;
}

/** The scaled level at `now` (a missing bucket is full). */
export function levelAt(info: RateInfo, bucket: Bucket | undefined, now: number): number {
  const full = info.burst * info.periodMs;
  if (!bucket) return full;
  return Math.min(full, bucket.level + Math.max(0, now - bucket.at) * info.requests);
}

/** Whole tokens available at `now`. */
export function tokensAt(info: RateInfo, bucket: Bucket | undefined, now: number): number {
  return Math.floor(levelAt(info, bucket, now) / info.periodMs);
}

/** The bucket after taking `tokens` at `now` (the caller checked they were there). */
export function consume(
  info: RateInfo,
  bucket: Bucket | undefined,
  tokens: number,
  now: number,
): Bucket {
  return { level: levelAt(info, bucket, now) - tokens * info.periodMs, at: now };
}

/** Milliseconds from `now` until `tokens` are available (0 if they are). */
export function msUntil(
  info: RateInfo,
  bucket: Bucket | undefined,
  tokens: number,
  now: number,
): number {
  const missing = tokens * info.periodMs - levelAt(info, bucket, now);
  return missing <= 0 ? 0 : Math.ceil(missing / info.requests);
}
