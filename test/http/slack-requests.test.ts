import { describe, expect, it } from 'vitest';
import { useTestApp } from '../support/app-lifecycle.js';
import { BOT_TOKEN, SIGNING_SECRET } from '../support/harness.js';
import { commandBody, postToSlackEndpoint, sendCommand } from '../support/slack-requests.js';

describe('requests claiming to come from Slack', () => {
  const t = useTestApp('pglite', { scope: 'file' });

  const body = () => new URLSearchParams(commandBody({ command: '/leadfeedback', text: 'L-1' })).toString();

  it('refuses a bad signature with 401 and does nothing', async () => {
    const res = await postToSlackEndpoint(t.app.url, SIGNING_SECRET, body(), { signature: `v0=${'0'.repeat(64)}` });
    expect(res.status).toBe(401);
    const wrongSecret = await postToSlackEndpoint(t.app.url, 'not-the-secret', body());
    expect(wrongSecret.status).toBe(401);
    const unsigned = await fetch(`${t.app.url}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: body(),
    });
    expect(unsigned.status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(t.slack.callsOf('views.open')).toHaveLength(0);
  });

  it('refuses a correctly signed but stale request (replay) with 401', async () => {
    const sixMinutesAgo = Math.floor(Date.now() / 1000) - 360;
    const res = await postToSlackEndpoint(t.app.url, SIGNING_SECRET, body(), { timestamp: sixMinutesAgo });
    expect(res.status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(t.slack.callsOf('views.open')).toHaveLength(0);
  });

  it('accepts the same request correctly signed', async () => {
    const res = await sendCommand(t.app.url, SIGNING_SECRET, { command: '/leadfeedback', text: '' });
    expect(res.status).toBe(200);
    await t.slack.waitFor(() => t.slack.callsOf('views.open')[0], 3_000, 'views.open');
  });

  it('counts requests, acks and Slack calls in /metrics', async () => {
    const metrics = await (await fetch(`${t.app.url}/metrics`)).text();
    expect(metrics).toMatch(/tandem_http_requests_total\{route="\/slack\/events",method="POST",status="401"\} [3-9]/);
    expect(metrics).toMatch(/tandem_slack_acks_total\{kind="command"\} 1/);
    expect(metrics).toMatch(/tandem_slack_api_calls_total\{method="views.open",result="ok"\} 1/);
    expect(metrics).toContain('process_resident_memory_bytes');
    expect(metrics).toMatch(/tandem_outbox_pending 0/);
    expect(metrics).toMatch(/tandem_outbox_oldest_pending_seconds 0/);
  });

  it('serves health and readiness', async () => {
    expect((await fetch(`${t.app.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${t.app.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ok: true, database: 'up' });
    expect((await fetch(`${t.app.url}/nope`)).status).toBe(404);
    expect((await fetch(`${t.app.url}/healthz`, { method: 'POST' })).status).toBe(405);
  });

  it('never writes the bot token or signing secret to the log', async () => {
    expect(t.app.rawLogs.length).toBeGreaterThan(0);
    const all = t.app.rawLogs.join('\n');
    expect(all).not.toContain(BOT_TOKEN);
    expect(all).not.toContain(SIGNING_SECRET);
  });
});
