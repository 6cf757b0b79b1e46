/**
 * Keeps secrets out of the ledger: every string in an event's data is scrubbed
 * of values shaped like API keys and tokens, and of the values of environment
 * variables whose names say they are secrets (`*_KEY`, `*_TOKEN`, `*_SECRET`).
 */

/** What a redacted value is replaced with. */
export const REDACTED = '[REDACTED]';

// Shapes of well-known credentials. Anthropic's `sk-ant-` is covered by `sk-`.
const SECRET_PATTERNS: readonly RegExp[] = [
  /\bsk-[A-Za-z0-9_-]{16,}/g, // OpenAI, Anthropic (sk-ant-…), sk-proj-…
  /\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{20,}/g, // GitHub tokens
  /\bgithub_pat_[A-Za-z0-9_]{20,}/g,
  /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g, // AWS access key ids
  /\bxox[abposr]-[A-Za-z0-9-]{10,}/g, // Slack
  /\bAIza[0-9A-Za-z_-]{35}/g, // Google API keys
  /\bglpat-[A-Za-z0-9_-]{20,}/g, // GitLab
];

// Bearer tokens keep the word so the redaction reads naturally.
const BEARER = /\b(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi;

const SECRET_ENV_NAME = /(_KEY|_TOKEN|_SECRET)$/i;

// Shorter env values are too likely to occur by chance ("1", "true") to scrub
// inside other strings; they are still redacted when a string equals them.
const MIN_EMBEDDED_SECRET = 8;

/** The values of secret-named variables in `env`, longest first. */
export function secretEnvValues(env: NodeJS.ProcessEnv): string[] {
  const values = new Set<string>();
  for (const [name, value] of Object.entries(env)) {
    if (value && value.trim() !== '' && SECRET_ENV_NAME.test(name)) values.add(value);
  }
  return [...values].sort((a, b) => b.length - a.length);
}

/** Scrubs one string of known secret shapes and of the given secret values. */
export function redactString(text: string, secrets: readonly string[]): string {
  if (secrets.includes(text)) return REDACTED;
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= MIN_EMBEDDED_SECRET && out.includes(secret)) {
      out = out.split(secret).join(REDACTED);
    }
  }
  for (const pattern of SECRET_PATTERNS) out = out.replace(pattern, REDACTED);
  return out.replace(BEARER, `$1${REDACTED}`);
}

/** Returns a copy of a JSON-like value with every string scrubbed; other values pass through. */
export function redactValue<T>(value: T, secrets: readonly string[]): T {
  if (typeof value === 'string') return redactString(value, secrets) as T;
  if (Array.isArray(value)) return value.map((v) => redactValue(v, secrets)) as T;
  if (
    value !== null &&
    typeof value === 'object' &&
    Object.getPrototypeOf(value) === Object.prototype
  ) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redactValue(v, secrets);
    return out as T;
  }
  return value;
}
