/**
 * What a command (a command gate, a command agent) may see of keel's
 * environment. Its output is committed to the work item's branch as an
 * artifact, so anything it can print may end up in git: secret-named
 * variables (provider keys, tokens) are withheld, and whatever secret still
 * appears in the output is masked before it is kept.
 */
import { redactValue, secretEnvValues } from '../../ledger/index.ts';

/** Names that say a variable holds a credential. */
const SECRET_NAME =
  /(_KEY|_TOKEN|_SECRET|_PASSWORD|_PASSWD|_CREDENTIALS?)$|^(DATABASE_URL|KEEL_DATABASE_URL)$/i;

/** `env` without its credential-named variables. */
export function commandEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(env)) {
    if (!SECRET_NAME.test(name)) out[name] = value;
  }
  return out;
}

/** Masks known secret shapes and the values of `env`'s secret-named variables in `text`. */
export function maskSecrets(text: string, env: NodeJS.ProcessEnv): string {
  const secrets = secretEnvValues(env);
  for (const [name, value] of Object.entries(env)) {
    if (value && value.length >= 8 && SECRET_NAME.test(name) && !secrets.includes(value)) {
      secrets.push(value);
    }
  }
  secrets.sort((a, b) => b.length - a.length);
  return redactValue(text, secrets);
}
