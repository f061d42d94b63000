import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../support/app-lifecycle.js';
import { SIGNING_SECRET } from '../support/harness.js';
import { postToSlackEndpoint, slackSignature } from '../support/slack-requests.js';

/** Interaction payloads shaped like Slack's but with anything in their fields. */
const interaction = fc.record(
  {
    type: fc.constantFrom(
      'block_actions',
      'view_submission',
      'block_suggestion',
      'view_closed',
      'shortcut',
      'nonsense',
    ),
    user: fc.oneof(fc.record({ id: fc.string() }), fc.anything()),
    trigger_id: fc.string(),
    response_url: fc.oneof(fc.webUrl(), fc.string()),
    action_id: fc.constant('lead_select'),
    value: fc.string(),
    actions: fc.array(
      fc.record({
        action_id: fc.constantFrom('handoff_accept', 'handoff_reject', 'handoff_rate'),
        value: fc.oneof(fc.uuid(), fc.string()),
      }),
      { maxLength: 2 },
    ),
    view: fc.record(
      {
        callback_id: fc.constantFrom('lead_feedback', 'handoff_reject', 'campaign_announce'),
        private_metadata: fc.oneof(fc.string(), fc.json()),
        state: fc.record({ values: fc.dictionary(fc.string(), fc.dictionary(fc.string(), fc.anything())) }),
      },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: ['type'] },
);

describe('malformed requests to /slack/events', () => {
  const t = useTestApp('pglite', { scope: 'file' });

  it('never answers a signed but malformed interaction, command or event with a 5xx', async () => {
    const body = fc.oneof(
      interaction.map((p) => new URLSearchParams({ payload: JSON.stringify(p) }).toString()),
      fc
        .record({
          command: fc.constantFrom('/leadfeedback', '/campaign', '/digest'),
          text: fc.string(),
          trigger_id: fc.string(),
          user_id: fc.string(),
        })
        .map((c) => new URLSearchParams(c).toString()),
    );
    // Sent in parallel batches: what nothing listens for waits out Slack's 3 s before Bolt answers 404.
    const samples = fc.sample(body, { numRuns: 500, seed: 20261123 });
    for (let i = 0; i < samples.length; i += 125) {
      const batch = samples.slice(i, i + 125);
      const answers = await Promise.all(batch.map((raw) => postToSlackEndpoint(t.app.url, SIGNING_SECRET, raw)));
      for (const [k, res] of answers.entries()) expect(res.status, batch[k]).toBeLessThan(500);
    }
    await fc.assert(
      fc.asyncProperty(
        fc
          .record({
            type: fc.constant('event_callback'),
            event_id: fc.string(),
            event: fc.oneof(
              fc.anything(),
              fc.record({ type: fc.constant('app_home_opened'), user: fc.anything(), tab: fc.string() }),
            ),
          })
          .map((e) => JSON.stringify(e)),
        async (raw) => {
          const res = await fetch(`${t.app.url}/slack/events`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...slackSignature(SIGNING_SECRET, raw) },
            body: raw,
          });
          expect(res.status).toBeLessThan(500);
        },
      ),
      { numRuns: 300 },
    );
    // What nothing listens for (garbage, unknown types) waits out Slack's 3 s, then Bolt answers 404.
    const unhandled = ['x;iWZP', new URLSearchParams({ payload: '{"type":"nonsense"}' }).toString(), 'payload=%7B'];
    const statuses = await Promise.all(unhandled.map((raw) => postToSlackEndpoint(t.app.url, SIGNING_SECRET, raw)));
    for (const res of statuses) expect(res.status).toBeLessThan(500);
    // Bolt itself throws on a block_actions without actions: that is the sender's fault, a 400, not a 500.
    const noActions = new URLSearchParams({ payload: '{"type":"block_actions","actions":[]}' }).toString();
    expect((await postToSlackEndpoint(t.app.url, SIGNING_SECRET, noActions)).status).toBe(400);
    // Still serving, and nothing half-written.
    expect((await fetch(`${t.app.url}/healthz`)).status).toBe(200);
    expect(await t.app.tandem.deps.db.selectFrom('lead_feedback').selectAll().execute()).toEqual([]);
    expect(await t.app.tandem.deps.db.selectFrom('handoffs').selectAll().execute()).toEqual([]);
  }, 60_000);
});
