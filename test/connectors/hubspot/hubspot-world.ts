import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { createTestDatabase, type DatabaseKind, type TestDatabase } from '../../support/databases.js';
import { FakeHubSpot, HUBSPOT_TOKEN } from '../../support/fake-hubspot.js';
import { FakeSlack, type RecordedCall } from '../../support/fake-slack.js';
import { CHANNELS, startTestApp, type TestApp } from '../../support/harness.js';
import { HUBSPOT_CLIENT_SECRET, PUBLIC_URL } from '../../support/hubspot-webhooks.js';

export const REP = { id: '77', email: 'owen@acme.example', slack: 'UOWNER077' };
export const OTHER_REP = { id: '78', email: 'rita@acme.example', slack: 'UOWNER078' };

export interface HubSpotWorld {
  slack: FakeSlack;
  hubspot: FakeHubSpot;
  database: TestDatabase;
  app: TestApp;
}

export function hubspotEnv(hubspot: FakeHubSpot): Record<string, string> {
  return {
    HUBSPOT_CLIENT_SECRET,
    HUBSPOT_ACCESS_TOKEN: HUBSPOT_TOKEN,
    HUBSPOT_API_URL: hubspot.url,
    PUBLIC_URL,
    HUBSPOT_CAMPAIGN_PROPERTY: 'utm_campaign',
  };
}

export const FAST_INBOX = { pollMs: 200, baseBackoffMs: 50, maxBackoffMs: 500 };

/**
 * A running app on a fresh `kind` database wired to a fake Slack and a fake HubSpot with two owners whose emails
 * Slack knows, as an admin following the README would have it.
 */
export function hubspotWorld(kind: DatabaseKind): HubSpotWorld {
  const world = {} as HubSpotWorld;
  beforeAll(async () => {
    world.slack = await new FakeSlack().start();
    world.hubspot = await new FakeHubSpot().start();
  });
  afterAll(async () => {
    await world.slack?.stop();
    await world.hubspot?.stop();
  });
  beforeEach(async () => {
    world.slack.reset();
    world.hubspot.reset();
    for (const rep of [REP, OTHER_REP]) {
      world.slack.users.set(rep.email, rep.slack);
      world.hubspot.owners.set(rep.id, {
        id: rep.id,
        email: rep.email,
        firstName: 'Rep',
        lastName: rep.id,
        userId: Number(rep.id) * 100,
      });
    }
    world.database = await createTestDatabase(kind);
    world.app = await startTestApp(world.slack, world.database, hubspotEnv(world.hubspot), { inbox: FAST_INBOX });
  });
  afterEach(async () => {
    await world.app?.stop();
    await world.database?.drop();
  });
  return world;
}

export const salesCards = (world: Pick<HubSpotWorld, 'slack'>): RecordedCall[] =>
  world.slack.okCallsOf('chat.postMessage').filter((c) => c.args.channel === CHANNELS.SALES_CHANNEL);

export const winsPosts = (world: Pick<HubSpotWorld, 'slack'>): RecordedCall[] =>
  world.slack.okCallsOf('chat.postMessage').filter((c) => c.args.channel === CHANNELS.WINS_CHANNEL);

export const inboxRows = (world: Pick<HubSpotWorld, 'app'>) =>
  world.app.tandem.deps.db.selectFrom('connector_events').selectAll().orderBy('created_at').execute();

/** Waits until every stored event has been processed (or failed). */
export async function settled(world: Pick<HubSpotWorld, 'app'>, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await inboxRows(world);
    if (rows.every((r) => r.status !== 'pending')) return rows;
    if (Date.now() > deadline) throw new Error(`inbox not settled: ${JSON.stringify(rows.map((r) => r.status))}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export const text = (call: RecordedCall | undefined) => JSON.stringify(call?.args ?? {});
