import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import type { Campaign, Lead } from '../../../src/db/schema.js';
import { createTestDatabase, type DatabaseKind, type TestDatabase } from '../../support/databases.js';
import { FakeSlack, type RecordedCall } from '../../support/fake-slack.js';
import { seedCampaign, seedHandoff, seedLead } from '../../support/fixtures.js';
import { CHANNELS, startTestApp, type TestApp } from '../../support/harness.js';
import { postWebhook } from '../../support/webhooks.js';

export const REP_EMAIL = 'rep@acme.example';
export const REP_ID = 'UREP0042';
export const HANDED_OFF_AT = new Date('2026-11-03T15:00:00Z');
export const CLOSED_AT = '2026-11-23T09:00:00Z';

export interface DealWorld {
  slack: FakeSlack;
  app: TestApp;
  campaign: Campaign;
  lead: Lead;
}

/**
 * A running app on a fresh `kind` database with what marketing and sales did before the deal closed: campaign
 * CMP-7 (marketer UMKT0001) handed off lead L-1001 on Nov 3, 2026, and sales rated the lead 2 and later 4.
 */
export function dealWorld(kind: DatabaseKind): DealWorld {
  const world = {} as DealWorld;
  let database: TestDatabase;

  beforeAll(async () => {
    world.slack = await new FakeSlack().start();
    world.slack.users.set(REP_EMAIL, REP_ID);
  });
  afterAll(async () => {
    await world.slack.stop();
  });

  beforeEach(async () => {
    world.slack.calls.length = 0;
    database = await createTestDatabase(kind);
    world.app = await startTestApp(world.slack, database);
    const db = world.app.tandem.deps.db;
    world.campaign = await seedCampaign(db, {
      crm_id: 'CMP-7',
      name: 'Q4 Webinar: Pipeline Hygiene',
      owner_slack_user_id: 'UMKT0001',
      url: 'https://crm.example.com/campaigns/7',
    });
    world.lead = await seedLead(db, {
      crm_id: 'L-1001',
      name: 'Dana Whitfield',
      email: 'dana@northwind.example',
      company: 'Northwind',
    });
    const handoff = await seedHandoff(db, {
      lead_id: world.lead.id,
      campaign_id: world.campaign.id,
      occurred_at: HANDED_OFF_AT,
    });
    const rating = (value: number, at: string) => ({
      lead_id: world.lead.id,
      handoff_id: handoff.id,
      rater_slack_user_id: 'UREP0001',
      rating: value,
      sales_ready: value >= 3,
      created_at: at,
    });
    await db
      .insertInto('lead_feedback')
      .values([rating(2, '2026-11-05T10:00:00Z'), rating(4, '2026-11-10T10:00:00Z')])
      .execute();
  });
  afterEach(async () => {
    await world.app.stop();
    await database.drop();
  });

  return world;
}

let counter = 0;

/** Sends a deal-closed event for deal D-500 (won, $48,000, lead L-1001) with the given changes to the deal. */
export function sendDeal(world: DealWorld, deal: Record<string, unknown> = {}, eventId = `evt-deal-${++counter}`) {
  return postWebhook(world.app.url, '/webhooks/deal-closed', {
    event_id: eventId,
    deal: {
      id: 'D-500',
      name: 'Northwind platform rollout',
      amount: 48000,
      company: 'Northwind',
      closed_at: CLOSED_AT,
      lead_id: 'L-1001',
      owner: { email: REP_EMAIL },
      ...deal,
    },
  });
}

export const storedDeals = (world: DealWorld) =>
  world.app.tandem.deps.db.selectFrom('deals').selectAll().orderBy('created_at').execute();

export const outboxRows = (world: DealWorld) =>
  world.app.tandem.deps.db.selectFrom('outbox').selectAll().orderBy('created_at').execute();

export const winsPosts = (world: DealWorld) =>
  world.slack.okCallsOf('chat.postMessage').filter((call) => call.args.channel === CHANNELS.WINS_CHANNEL);

/** The first celebration Slack received, once it has arrived. */
export function celebration(world: DealWorld): Promise<RecordedCall> {
  return world.slack.waitFor(() => winsPosts(world)[0], 5_000, 'the win celebration');
}

/** Everything a Slack call carried (blocks, fallback text), as one string to search. */
export function messageText(call: RecordedCall): string {
  return JSON.stringify(call.args);
}
