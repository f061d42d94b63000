import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../../support/app-lifecycle.js';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../../support/databases.js';
import { FakeHubSpot } from '../../support/fake-hubspot.js';
import { FakeSlack } from '../../support/fake-slack.js';
import { CHANNELS, startTestApp, type TestApp } from '../../support/harness.js';
import { hubspotEvent, postHubSpot } from '../../support/hubspot-webhooks.js';
import { FAST_INBOX, hubspotEnv, hubspotWorld, inboxRows, REP } from './hubspot-world.js';

describe('HubSpot connector without its variables', () => {
  const t = useTestApp('pglite', { scope: 'file' });

  it('answers 503 so HubSpot keeps the events until it is configured', async () => {
    const res = await postHubSpot(t.app.url, [hubspotEvent('contact.creation', 1)]);
    expect(res).toMatchObject({ status: 503, body: { ok: false, error: 'connector_not_configured' } });
  });
});

describe.each(DATABASE_KINDS)('malformed HubSpot bodies on %s', (kind) => {
  const world = hubspotWorld(kind);

  it('never get a 5xx and store nothing, whatever is signed and sent', async () => {
    const valid = hubspotEvent('contact.propertyChange', 151, {
      propertyName: 'hubspot_owner_id',
      propertyValue: '77',
    });
    const mutated = fc
      .record({ key: fc.constantFrom(...Object.keys(valid)), value: fc.jsonValue() })
      .map(({ key, value }) => [{ ...valid, eventId: Math.floor(Math.random() * 1e9), [key]: value }]);
    const body = fc.oneof(
      fc.jsonValue().map((v) => JSON.stringify(v)),
      mutated.map((v) => JSON.stringify(v)),
      fc.string({ maxLength: 200 }),
    );
    await fc.assert(
      fc.asyncProperty(body, async (raw) => {
        const before = (await inboxRows(world)).length;
        const res = await postHubSpot(world.app.url, null, { raw });
        expect(res.status).toBeLessThan(500);
        if (res.status !== 200) {
          expect(res.status).toBe(400);
          expect((await inboxRows(world)).length).toBe(before);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('names the path of the problem', async () => {
    const res = await postHubSpot(world.app.url, [{ ...hubspotEvent('contact.creation', 1), objectId: 'abc' }]);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'invalid_payload', issues: [{ path: '0.objectId' }] });
    expect(await inboxRows(world)).toHaveLength(0);
  });
});

describe.skipIf(!DATABASE_KINDS.includes('postgres'))('two replicas on one PostgreSQL database', () => {
  let slack: FakeSlack;
  let hubspot: FakeHubSpot;
  let database: TestDatabase;
  const apps: TestApp[] = [];
  beforeAll(async () => {
    slack = await new FakeSlack().start();
    hubspot = await new FakeHubSpot().start();
  });
  afterAll(async () => {
    await slack.stop();
    await hubspot.stop();
  });
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.stop()));
    await database?.drop();
  });

  it('process each event once, whichever replica HubSpot delivered it to, even when it delivered to both', async () => {
    database = await createTestDatabase('postgres');
    slack.users.set(REP.email, REP.slack);
    hubspot.owners.set(REP.id, { id: REP.id, email: REP.email, firstName: 'Owen', lastName: 'Rep', userId: 7700 });
    hubspot.delayMs = 20; // long enough for both replicas to be busy at once
    // Unpaced, so the test waits on processing, not on Slack's per-channel rate.
    // One owner gets all 24: above the default HANDOFF_BURST they would share a summary card.
    const env = { ...hubspotEnv(hubspot), SLACK_POST_RATE: '0', HANDOFF_BURST: '100' };
    for (let replica = 0; replica < 2; replica++) {
      apps.push(await startTestApp(slack, database, env, { inbox: { ...FAST_INBOX, concurrency: 3 } }));
    }
    const ids = Array.from({ length: 24 }, (_, i) => 500 + i);
    for (const id of ids) hubspot.setContact(String(id), { firstname: `Lead ${id}`, hubspot_owner_id: REP.id });
    const batch = ids.map((id) =>
      hubspotEvent('contact.propertyChange', id, { propertyName: 'hubspot_owner_id', propertyValue: REP.id }),
    );
    const [a, b] = apps as [TestApp, TestApp];
    const answers = await Promise.all([postHubSpot(a.url, batch), postHubSpot(b.url, batch)]);
    expect(answers.map((r) => r.status)).toEqual([200, 200]);
    expect(answers.reduce((n, r) => n + Number(r.body.stored), 0)).toBe(ids.length);

    const cards = () => slack.okCallsOf('chat.postMessage').filter((c) => c.args.channel === CHANNELS.SALES_CHANNEL);
    await slack.waitFor(() => cards().length >= ids.length, 15_000, 'a card per contact');
    const db = a.tandem.deps.db;
    const rows = await db.selectFrom('connector_events').select(['status', 'attempts']).execute();
    expect(rows).toHaveLength(ids.length);
    expect(rows.every((r) => r.status === 'done' && r.attempts === 1)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(cards()).toHaveLength(ids.length);
    for (const id of ids) expect(hubspot.callsTo(`/crm/v3/objects/contacts/${id}`)).toHaveLength(1);
    // Both replicas did some of the work.
    const processedBy = await Promise.all(
      apps.map(async (app) => {
        const m = await app.tandem.deps.metrics.registry.getSingleMetricAsString('tandem_connector_events_total');
        return Number(m.match(/result="processed"\} (\d+)/)?.[1] ?? 0);
      }),
    );
    expect(processedBy.reduce((x, y) => x + y, 0)).toBe(ids.length);
    expect(processedBy.every((n) => n > 0)).toBe(true);
  });
});
