/** Generation ids: ULIDs (48 bits of milliseconds, 80 random bits, Crockford base32), sortable by creation time. */
import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A new 26-character ULID. */
export function newGenerationId(time: number = Date.now()): string {
  let out = '';
  let t = time;
  for (let i = 0; i < 10; i++) {
    out = ALPHABET[t % 32] + out;
    t = Math.floor(t / 32);
  }
  const bytes = randomBytes(16);
  for (const b of bytes) out += ALPHABET[b % 32];
  return out;
}
