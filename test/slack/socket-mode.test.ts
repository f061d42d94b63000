import { describe, expect, it } from 'vitest';
import { useTestApp } from '../support/app-lifecycle.js';
import { commandBody } from '../support/slack-requests.js';

describe('Socket Mode', () => {
  const t = useTestApp('pglite', {
    scope: 'file',
    env: {
      SLACK_APP_TOKEN: 'xapp-1-A0TANDEM-123-abc',
      SLACK_SIGNING_SECRET: undefined,
    },
  });

  it('connects with the app token through apps.connections.open', async () => {
    await t.slack.waitFor(() => t.slack.socketConnections > 0, 5_000, 'a websocket connection');
    const open = t.slack.callsOf('apps.connections.open')[0];
    expect(open?.token).toBe('xapp-1-A0TANDEM-123-abc');
  });

  it('acknowledges a slash command envelope and opens the modal', async () => {
    await t.slack.waitFor(() => t.slack.socketConnections > 0, 5_000, 'a websocket connection');
    const fields = commandBody({ command: '/leadfeedback', text: '', trigger_id: 'socket-trigger-1' });
    const ack = await t.slack.sendOverSocket('slash_commands', fields);
    expect(ack.envelope_id).toBeTruthy();
    const open = await t.slack.waitFor(
      () => t.slack.callsOf('views.open').find((c) => c.args.trigger_id === 'socket-trigger-1'),
      3_000,
      'views.open',
    );
    expect((open.args.view as { callback_id: string }).callback_id).toBe('lead_feedback');
  });

  it('still serves health and metrics on PORT, and says /slack/events is not used', async () => {
    expect((await fetch(`${t.app.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${t.app.url}/metrics`)).status).toBe(200);
    const events = await fetch(`${t.app.url}/slack/events`, { method: 'POST', body: 'x' });
    expect(events.status).toBe(404);
  });
});
