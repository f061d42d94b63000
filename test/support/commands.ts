import { expect } from 'vitest';
import type { FakeSlack } from './fake-slack.js';
import { SIGNING_SECRET, type TestApp } from './harness.js';
import { sendCommand } from './slack-requests.js';

/**
 * Runs a slash command as `userId` through a signed request, as Slack sends it, and returns the text of the private
 * answer Tandem posts to the command's response_url.
 */
export async function slashCommand(
  { app, slack }: { app: TestApp; slack: FakeSlack },
  command: string,
  text: string,
  userId: string,
): Promise<string> {
  const responseUrl = slack.responseUrl();
  const id = responseUrl.split('/').pop();
  const res = await sendCommand(app.url, SIGNING_SECRET, { command, text, user_id: userId, response_url: responseUrl });
  expect(res.status).toBe(200);
  const reply = await slack.waitFor(() => slack.responses.find((r) => r.id === id), 5_000, `the answer to ${command}`);
  expect(reply.body).toMatchObject({ response_type: 'ephemeral' });
  return String(reply.body.text);
}
