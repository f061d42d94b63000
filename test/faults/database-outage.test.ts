import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION, BLOCK, FEEDBACK_VIEW, LEAD_SELECT } from '../../src/features/feedback/ids.js';
import { ACCEPT_ACTION } from '../../src/features/handoffs/ids.js';
import { AppProcess } from '../support/app-process.js';
import { eventually } from '../support/eventually.js';
import { FakeSlack } from '../support/fake-slack.js';
import { CHANNELS, SIGNING_SECRET, testEnv } from '../support/harness.js';
import { HUBSPOT_CLIENT_SECRET, hubspotEvent, PUBLIC_URL, postHubSpot } from '../support/hubspot-webhooks.js';
import { queryOnce } from '../support/postgres-admin.js';
import { buttonPress, selected, sendCommand, sendInteraction, viewSubmission } from '../support/slack-requests.js';
import { canRunThrowawayPostgres, ThrowawayPostgres } from '../support/throwaway-postgres.js';
import { postWebhook } from '../support/webhooks.js';
import { leadName, numberedHandoff } from './events.js';
import { outboxGauge } from './metrics.js';

const OWNER = 'UOWNER001';

/**
 * With a real process and a real PostgreSQL server that the test stops under it: while the
 * database is away, webhooks answer 503, /readyz says so, people get a polite "try again", the process stays up;
 * when it returns, everything recovers without a restart.
 */
describe.skipIf(!canRunThrowawayPostgres())('a database outage under a running app', () => {
  let cluster: ThrowawayPostgres;
  let slack: FakeSlack;
  let app: AppProcess;
  let dataDir: string;

  beforeAll(async () => {
    cluster = await ThrowawayPostgres.create();
    slack = await new FakeSlack().start();
    dataDir = mkdtempSync(path.join(tmpdir(), 'tandem-outage-'));
    const database = { kind: 'postgres' as const, env: { DATABASE_URL: cluster.url, DATA_DIR: dataDir } };
    const hubspot = {
      HUBSPOT_CLIENT_SECRET,
      HUBSPOT_ACCESS_TOKEN: 'hubspot-token-unused-here',
      HUBSPOT_API_URL: 'http://127.0.0.1:9',
      PUBLIC_URL,
    };
    app = await AppProcess.start({ name: 'app', env: testEnv(slack, { ...database, drop: async () => {} }, hubspot) });
  });
  afterAll(async () => {
    await app?.dispose();
    await slack?.stop();
    cluster?.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const cardsFor = (name: string) =>
    slack
      .okCallsOf('chat.postMessage')
      .filter((c) => c.args.channel === CHANNELS.SALES_CHANNEL && JSON.stringify(c.args.blocks).includes(name));

  const query = <T extends object>(text: string) => queryOnce<T>(cluster.url, text);

  it('refuses politely while the database is down and recovers by itself when it returns', async () => {
    const before = numberedHandoff(1);
    expect((await postWebhook(app.url, '/webhooks/lead-handoff', before)).status).toBe(202);
    await slack.waitFor(() => cardsFor(leadName(1))[0], 10_000, 'the first card');
    const [handoff] = await query<{ id: string; lead_id: string }>('select id, lead_id from handoffs');
    if (!handoff) throw new Error('the handoff was not stored');

    cluster.stop('immediate');

    const refused = await postWebhook(app.url, '/webhooks/lead-handoff', numberedHandoff(2));
    expect(refused).toEqual({ status: 503, body: { ok: false, error: 'database_unavailable' } });
    // A CRM connector too: HubSpot retries a 5xx, so the batch is not lost.
    const batch = await postHubSpot(app.url, [hubspotEvent('contact.creation', 151)]);
    expect({ status: batch.status, body: batch.body }).toEqual({
      status: 503,
      body: { ok: false, error: 'database_unavailable' },
    });
    expect((await fetch(`${app.url}/readyz`)).status).toBe(503);
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);

    // A slash command is acknowledged in time, and the person hears why nothing opened.
    const commandUrl = slack.responseUrl();
    const started = Date.now();
    const command = await sendCommand(app.url, SIGNING_SECRET, {
      command: '/leadfeedback',
      text: 'L-1',
      response_url: commandUrl,
    });
    expect(command.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(3_000);
    const apology = await slack.waitFor(() => slack.responses.find((r) => commandUrl.endsWith(r.id)));
    expect(apology.body).toMatchObject({ response_type: 'ephemeral', text: expect.stringMatching(/try again/i) });

    // A modal keeps the rep's answers and says to submit again.
    const submission = await sendInteraction(
      app.url,
      SIGNING_SECRET,
      viewSubmission({
        callbackId: FEEDBACK_VIEW,
        values: {
          [BLOCK.lead]: { [LEAD_SELECT]: selected('external_select', handoff.lead_id) },
          [BLOCK.rating]: { [ACTION.rating]: selected('radio_buttons', '4') },
          [BLOCK.salesReady]: { [ACTION.salesReady]: selected('radio_buttons', 'yes') },
        },
      }),
    );
    expect(submission.status).toBe(200);
    expect(await submission.json()).toMatchObject({
      response_action: 'errors',
      errors: { [BLOCK.lead]: expect.stringMatching(/submit again/i) },
    });

    // A button press is acknowledged, and the owner is told to try again.
    const buttonUrl = slack.responseUrl();
    const press = await sendInteraction(
      app.url,
      SIGNING_SECRET,
      buttonPress({ actionId: ACCEPT_ACTION, value: handoff.id, userId: OWNER, responseUrl: buttonUrl }),
    );
    expect(press.status).toBe(200);
    const told = await slack.waitFor(() => slack.responses.find((r) => buttonUrl.endsWith(r.id)));
    expect(JSON.stringify(told.body)).toMatch(/try again/i);

    cluster.start();

    await eventually(async () => (await fetch(`${app.url}/readyz`)).status === 200, 15_000, '/readyz to recover');
    const after = numberedHandoff(3);
    expect((await postWebhook(app.url, '/webhooks/lead-handoff', after)).status).toBe(202);
    await slack.waitFor(() => cardsFor(leadName(3))[0], 15_000, 'a card after the outage');
    expect(cardsFor(leadName(1))).toHaveLength(1);
    expect(cardsFor(leadName(2))).toHaveLength(0);
    expect(await query('select 1 from handoffs')).toHaveLength(2);
    expect(app.logged('unhandled promise rejection')).toEqual([]);
    expect(await Promise.race([app.exited, new Promise((resolve) => setTimeout(() => resolve('running'), 100))])).toBe(
      'running',
    );
  });
  it('records a post Slack accepted while the database was away, instead of posting it again', async () => {
    slack.fail('chat.postMessage', { kind: 'hang', ms: 1_500 }, 1);
    expect((await postWebhook(app.url, '/webhooks/lead-handoff', numberedHandoff(4))).status).toBe(202);
    await slack.waitFor(() =>
      slack.callsOf('chat.postMessage').some((c) => JSON.stringify(c.args).includes(leadName(4))),
    );
    cluster.stop('immediate'); // Slack answers while the database is down: the delivery cannot be recorded yet
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    cluster.start();

    // Recorded once the database is back, well before the 30 s lease would hand the row out again.
    await eventually(
      async () => (await outboxGauge(app.url, 'pending').catch(() => -1)) === 0,
      10_000,
      'the post to be recorded',
    );
    expect(app.logged('could not record a delivery; retrying').length).toBeGreaterThan(0);
    expect(cardsFor(leadName(4))).toHaveLength(1);
  });
});
