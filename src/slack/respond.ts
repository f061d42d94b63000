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
