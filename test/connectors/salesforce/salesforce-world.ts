import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { createTestDatabase, type DatabaseKind, type TestDatabase } from '../../support/databases.js';
import { FakeSalesforce, SF_CLIENT_ID, SF_CLIENT_SECRET } from '../../support/fake-salesforce.js';
import { FakeSlack } from '../../support/fake-slack.js';
import { startTestApp, type TestApp } from '../../support/harness.js';
import { SF_ORG_ID, SF_TOKEN } from '../../support/salesforce-messages.js';
import { FAST_INBOX } from '../hubspot/hubspot-world.js';

export const SF_REP = { id: '005000000000077AAA', email: 'owen@acme.example', slack: 'UOWNER077', name: 'Owen Rep' };
export const SF_OTHER = { id: '005000000000078AAA', email: 'rita@acme.example', slack: 'UOWNER078', name: 'Rita Rep' };
export const SF_ADMIN = 'UADMIN001';

export interface SalesforceWorld {
  slack: FakeSlack;
  salesforce: FakeSalesforce;
  database: TestDatabase;
  app: TestApp;
}

export function salesforceEnv(salesforce: FakeSalesforce, withApi = true): Record<string, string> {
  return {
    // The 15-character form: messages carry the 18-character one.
    SALESFORCE_ORG_ID: SF_ORG_ID.slice(0, 15),
    SALESFORCE_TOKEN: SF_TOKEN,
    SALESFORCE_CAMPAIGN_FIELD: 'Campaign_Code__c',
    SALESFORCE_DEFAULT_CURRENCY: 'EUR',
    TANDEM_ADMINS: SF_ADMIN,
    ...(withApi
      ? {
          SALESFORCE_INSTANCE_URL: salesforce.url,
          SALESFORCE_CLIENT_ID: SF_CLIENT_ID,
          SALESFORCE_CLIENT_SECRET: SF_CLIENT_SECRET,
        }
      : {}),
  };
}

/** A running app with the Salesforce connector, a fake org whose two users Slack knows by email. */
export function salesforceWorld(kind: DatabaseKind, options: { withApi?: boolean } = {}): SalesforceWorld {
  const world = {} as SalesforceWorld;
  beforeAll(async () => {
    world.slack = await new FakeSlack().start();
    world.salesforce = await new FakeSalesforce().start();
  });
  afterAll(async () => {
    await world.slack?.stop();
    await world.salesforce?.stop();
  });
  beforeEach(async () => {
    world.slack.reset();
    world.salesforce.reset();
    for (const rep of [SF_REP, SF_OTHER]) {
      world.slack.users.set(rep.email, rep.slack);
      world.salesforce.users.set(rep.id, { Id: rep.id, Email: rep.email, Name: rep.name });
    }
    world.database = await createTestDatabase(kind);
    const env = salesforceEnv(world.salesforce, options.withApi ?? true);
    world.app = await startTestApp(world.slack, world.database, env, { inbox: FAST_INBOX });
  });
  afterEach(async () => {
    await world.app?.stop();
    await world.database?.drop();
  });
  return world;
}
