/**
 * ULIDs for event ids: 48 bits of milliseconds then 80 random bits, in
 * Crockford base32, so ids sort roughly by creation time and never collide.
 */
import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** Returns a new 26-character ULID for the given time (default now). */
export function ulid(time: number = Date.now()): string {
  let timePart = '';
  let t = Number.isFinite(time) && time >= 0 ? Math.floor(time) : Date.now();
  for (let i = 0; i < 10; i++) {
    timePart = ALPHABET[t % 32] + timePart;
    t = Math.floor(t / 32);
  }
  let randomPart = '';
  for (let i = 0; i < 16; i++) randomPart += ALPHABET[nextRandomByte() % 32];
  return timePart + randomPart;
}

// One call into the CSPRNG per 256 ids instead of one per id (it dominated batched appends).
const POOL_SIZE = 4096;
let pool = randomBytes(POOL_SIZE);
let offset = 0;

function nextRandomByte(): number {
  if (offset >= POOL_SIZE) {
    pool = randomBytes(POOL_SIZE);
    offset = 0;
  }
  return pool[offset++] ?? 0;
}
