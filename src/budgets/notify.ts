/**
 * Budget notices to a webhook: the URL comes from an environment variable named
 * in keel.yaml (`cost.webhook_url_env`) because it may carry a token; only the
 * notice's figures are sent, and the URL never reaches the ledger or a log.
 */
import type { BudgetNoticeData } from './budget-events.ts';

export interface NotifyResult {
  sent: number;
  /** A failure, without the URL. */
  error?: string;
}

/** POSTs each notice as JSON to the URL in `env[envName]`; does nothing when it is unset. */
export async function postNotices(
  notices: readonly BudgetNoticeData[],
  envName: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
  fetchImpl: typeof fetch = fetch,
): Promise<NotifyResult> {
  const url = envName ? env[envName] : undefined;
  if (!url || notices.length === 0) return { sent: 0 };
  let sent = 0;
  for (const notice of notices) {
    try {
      const res = await fetchImpl(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ source: 'keel', kind: `budget.${notice.state}`, ...notice }),
        signal: AbortSignal.timeout(5000),
      });
      if (!res.ok) return { sent, error: `the webhook in ${envName} answered HTTP ${res.status}` };
      sent += 1;
    } catch (error) {
      const name = error instanceof Error ? error.name : 'error';
      return { sent, error: `the webhook in ${envName} could not be reached (${name})` };
    }
  }
  return { sent };
}
