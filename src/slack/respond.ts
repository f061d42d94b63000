import type { Logger } from '../logger.js';

const SLACK_HOOKS = 'https://hooks.slack.com/';
const DEFAULT_API_URL = 'https://slack.com/api/';

/**
 * The response_url a modal's private_metadata carries, when it is one Slack could have given: under
 * `https://hooks.slack.com/`, or under SLACK_API_URL's origin when that is not Slack's own (a test server, a proxy).
 * private_metadata round-trips through the client, so anything else (a forged view, an old bug) is ignored and
 * logged rather than sent a user's confirmation.
 */
export function trustedResponseUrl(
  url: string | undefined,
  { apiUrl, log }: { apiUrl: string; log: Pick<Logger, 'warn'> },
): string | undefined {
  if (url === undefined) return undefined;
  if (url.startsWith(SLACK_HOOKS)) return url;
  if (apiUrl !== DEFAULT_API_URL && sameOrigin(url, apiUrl)) return url;
  log.warn({ responseUrl: url.slice(0, 200) }, 'ignored a response_url that is not Slack’s');
  return undefined;
}

function sameOrigin(a: string, b: string): boolean {
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
}

/**
 * Posts an ephemeral message to a response_url (a slash command's, kept in a modal's metadata). It is an
 * interactive answer, so it goes straight to Slack rather than through the outbox.
 */
export async function respondEphemeral(responseUrl: string, text: string): Promise<void> {
  const res = await fetch(responseUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ response_type: 'ephemeral', replace_original: false, text }),
    signal: AbortSignal.timeout(5_000),
  });
  if (!res.ok) throw new Error(`response_url answered ${res.status}`);
}
