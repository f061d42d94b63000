import { describe, expect, it } from 'vitest';
import { ACCEPT_ACTION } from '../../../src/features/handoffs/ids.js';
import { DATABASE_KINDS } from '../../support/databases.js';
import { seedCampaign } from '../../support/fixtures.js';
import { SIGNING_SECRET } from '../../support/harness.js';
import { notificationId, outboundMessage, postSalesforce, SF_INSTANCE } from '../../support/salesforce-messages.js';
import { buttonPress, sendInteraction } from '../../support/slack-requests.js';
import { salesCards, settled, text, winsPosts } from '../hubspot/hubspot-world.js';
import { SF_OTHER, SF_REP, salesforceWorld } from './salesforce-world.js';

const LEAD_ID = '00Q000000000151AAA';

/** Dana as a Lead notification, owned by `ownerId`, last modified at `modified`. */
const lead = (ownerId: string, modified = '2026-11-20T12:00:00.000Z', id = notificationId()) => ({
  id,
  type: 'Lead',
  fields: {
    Id: LEAD_ID,
    FirstName: 'Dana',
    LastName: 'Whitfield',
    Email: 'dana@northwind.example',
    Company: 'Northwind & Sons',
    Title: 'VP Operations',
    Phone: null,
    LeadSource: 'Webinar',
    Status: 'Open - Not Contacted',
    Campaign_Code__c: 'q4-webinar',
    OwnerId: ownerId,
    LastModifiedDate: modified,
  },
});

const ACK =
  '<notificationsResponse xmlns="http://soap.sforce.com/2005/09/outbound"><Ack>true</Ack></notificationsResponse>';

describe.each(DATABASE_KINDS)('Salesforce Outbound Messages on %s', (kind) => {
  const world = salesforceWorld(kind);
  const db = () => world.app.tandem.deps.db;

  it('a Lead becomes a handoff to its owner, found by the User API and Slack, and is acked once stored', async () => {
    await seedCampaign(db(), { crm_id: 'q4-webinar', name: 'Q4 Webinar', owner_slack_user_id: 'UMKT0001' });
    const res = await postSalesforce(world.app.url, outboundMessage([lead(SF_REP.id)]));
    expect(res.status).toBe(200);
    expect(res.contentType).toContain('text/xml');
    expect(res.body).toContain(ACK);
    const card = await world.slack.waitFor(() => salesCards(world)[0], 5_000, 'the handoff card');
    expect(text(card)).toContain(`<@${SF_REP.slack}>`);
    expect(text(card)).toContain('Dana Whitfield');
    expect(text(card)).toContain('Northwind &amp; Sons');
    expect(text(card)).toContain('Q4 Webinar');
    const [handoff] = await db()
      .selectFrom('handoffs')
      .innerJoin('leads', 'leads.id', 'handoffs.lead_id')
      .selectAll()
      .execute();
    expect(handoff).toMatchObject({
      crm_id: LEAD_ID,
      url: `${SF_INSTANCE}/${LEAD_ID}`,
      owner_crm: 'salesforce',
      owner_crm_id: SF_REP.id,
      owner_email: SF_REP.email,
      owner_name: SF_REP.name,
      owner_slack_user_id: SF_REP.slack,
    });
    expect(world.salesforce.calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      'POST /services/oauth2/token',
      `GET /services/data/v62.0/sobjects/User/${SF_REP.id}`,
    ]);
    const crmUser = await db().selectFrom('crm_users').selectAll().executeTakeFirst();
    expect(crmUser).toMatchObject({
      crm: 'salesforce',
      crm_user_id: SF_REP.id,
      slack_user_id: SF_REP.slack,
      resolved_by: 'lookup',
    });
  });

  it('a resent notification is stored once; a reordered older message does not undo a newer one', async () => {
    const first = lead(SF_REP.id, '2026-11-20T12:00:00.000Z');
    const newer = lead(SF_OTHER.id, '2026-11-20T12:05:00.000Z');
    expect((await postSalesforce(world.app.url, outboundMessage([newer]))).body).toContain(ACK);
    await world.slack.waitFor(() => salesCards(world)[0], 5_000, 'the card for the newer owner');
    // The older message arrives late, and the newer one is resent.
    expect((await postSalesforce(world.app.url, outboundMessage([first, newer]))).body).toContain(ACK);
    const rows = await settled(world);
    expect(rows).toHaveLength(2);
    expect(rows[1]?.outcome).toBe('nothing: a newer copy was applied');
    expect(salesCards(world)).toHaveLength(1);
    expect(text(salesCards(world)[0])).toContain(`<@${SF_OTHER.slack}>`);
  });

  it('a queue owner is not a person: the card says so and anyone may take the lead', async () => {
    await postSalesforce(world.app.url, outboundMessage([lead('00G000000000042AAA')]));
    const card = await world.slack.waitFor(() => salesCards(world)[0], 5_000, 'the card');
    expect(text(card)).toContain('queue (not a person: anyone in sales may take it)');
    const [handoff] = await db().selectFrom('handoffs').selectAll().execute();
    await sendInteraction(
      world.app.url,
      SIGNING_SECRET,
      buttonPress({ actionId: ACCEPT_ACTION, value: String(handoff?.id), userId: 'UANYONE01' }),
    );
    await world.slack.waitFor(() => world.slack.okCallsOf('chat.update')[0], 5_000, 'the accepted card');
    expect(await db().selectFrom('handoffs').select(['status', 'decided_by']).execute()).toEqual([
      { status: 'accepted', decided_by: 'UANYONE01' },
    ]);
    expect(world.salesforce.calls).toHaveLength(0);
  });

  it('a closed-won Opportunity is celebrated with its amount and campaign; an open one does nothing', async () => {
    await seedCampaign(db(), { crm_id: '701000000000001AAA', name: 'Trade Show', owner_slack_user_id: 'UMKT0001' });
    const opportunity = (closed: boolean) => ({
      id: notificationId(),
      type: 'Opportunity',
      fields: {
        Id: '006000000000001AAA',
        Name: 'Northwind platform',
        Amount: '48000.0',
        CloseDate: '2026-11-21',
        IsClosed: String(closed),
        IsWon: String(closed),
        OwnerId: SF_REP.id,
        CampaignId: '701000000000001AAA',
        SystemModstamp: closed ? '2026-11-21T10:00:00.000Z' : '2026-11-20T10:00:00.000Z',
      },
    });
    await postSalesforce(world.app.url, outboundMessage([opportunity(false)]));
    expect((await settled(world))[0]?.outcome).toBe('nothing: opportunity is open');
    await postSalesforce(world.app.url, outboundMessage([opportunity(true)]));
    const win = await world.slack.waitFor(() => winsPosts(world)[0], 5_000, 'the celebration');
    expect(text(win)).toContain('Northwind platform');
    expect(text(win)).toContain(`<@${SF_REP.slack}>`);
    const deal = await db().selectFrom('deals').selectAll().executeTakeFirstOrThrow();
    expect(deal).toMatchObject({ crm_id: '006000000000001AAA', stage: 'won', currency: 'EUR' });
    expect(Number(deal.amount)).toBe(48000);
    expect(deal.campaign_id).not.toBeNull();
  });

  it('a Campaign In Progress is announced; Planned is only stored', async () => {
    const campaign = (status: string, modified: string) => ({
      id: notificationId(),
      type: 'Campaign',
      fields: {
        Id: '701000000000009AAA',
        Name: 'Winter Launch',
        Status: status,
        Type: 'Webinar',
        StartDate: '2026-12-01',
        EndDate: '2026-12-20',
        Description: 'Lead with the SSO story.',
        OwnerId: SF_OTHER.id,
        LastModifiedDate: modified,
      },
    });
    await postSalesforce(world.app.url, outboundMessage([campaign('Planned', '2026-11-20T09:00:00.000Z')]));
    expect((await settled(world))[0]?.outcome).toMatch(/^campaign .* planned, nothing$/);
    expect(salesCards(world)).toHaveLength(0);
    await postSalesforce(world.app.url, outboundMessage([campaign('In Progress', '2026-11-21T09:00:00.000Z')]));
    const announcement = await world.slack.waitFor(() => salesCards(world)[0], 5_000, 'the announcement');
    expect(text(announcement)).toContain('Winter Launch');
    const stored = await db().selectFrom('campaigns').selectAll().executeTakeFirstOrThrow();
    expect(stored).toMatchObject({
      crm_id: '701000000000009AAA',
      status: 'launched',
      owner_slack_user_id: SF_OTHER.slack,
    });
  });
});
