import { describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../../support/databases.js';
import { seedCampaign } from '../../support/fixtures.js';
import { hubspotEvent, PORTAL_ID, postHubSpot } from '../../support/hubspot-webhooks.js';
import { hubspotWorld, inboxRows, OTHER_REP, REP, salesCards, settled, text, winsPosts } from './hubspot-world.js';

const DANA = {
  firstname: 'Dana',
  lastname: 'Whitfield',
  email: 'dana@northwind.example',
  company: 'Northwind',
  jobtitle: 'VP Operations',
  lifecyclestage: 'salesqualifiedlead',
  utm_campaign: 'q4-webinar',
};

const ownerChange = (contactId: number, ownerId: string, occurredAt?: number) =>
  hubspotEvent('contact.propertyChange', contactId, {
    propertyName: 'hubspot_owner_id',
    propertyValue: ownerId,
    occurredAt,
  });
const stageChange = (dealId: number, stage: string, occurredAt?: number) =>
  hubspotEvent('deal.propertyChange', dealId, { propertyName: 'dealstage', propertyValue: stage, occurredAt });

describe.each(DATABASE_KINDS)('HubSpot events become handoffs and deals on %s', (kind) => {
  const world = hubspotWorld(kind);

  /** Assigns contact 151 to `owner` in HubSpot and tells Tandem as HubSpot would. */
  async function assign(owner = REP, contactId = 151) {
    world.hubspot.setContact(String(contactId), { ...DANA, hubspot_owner_id: owner.id });
    return postHubSpot(world.app.url, [ownerChange(contactId, owner.id)]);
  }

  it('an owner assignment in HubSpot posts the handoff card mentioning the owner, with the campaign', async () => {
    await seedCampaign(world.app.tandem.deps.db, {
      crm_id: 'q4-webinar',
      name: 'Q4 Webinar',
      owner_slack_user_id: 'UMKT0001',
    });
    const res = await assign();
    expect(res).toMatchObject({ status: 200, body: { ok: true, stored: 1, duplicates: 0, ignored: 0 } });

    const card = await world.slack.waitFor(() => salesCards(world)[0], 5_000, 'the handoff card');
    expect(text(card)).toContain(`<@${REP.slack}>`);
    expect(text(card)).toContain('Dana Whitfield');
    expect(text(card)).toContain('Q4 Webinar');
    const [handoff] = await world.app.tandem.deps.db
      .selectFrom('handoffs')
      .innerJoin('leads', 'leads.id', 'handoffs.lead_id')
      .select([
        'leads.crm_id',
        'leads.url',
        'handoffs.owner_email',
        'handoffs.owner_slack_user_id',
        'handoffs.event_id',
      ])
      .execute();
    expect(handoff).toMatchObject({
      crm_id: '151',
      url: `https://app.hubspot.com/contacts/${PORTAL_ID}/record/0-1/151`,
      owner_email: REP.email,
      owner_slack_user_id: REP.slack,
    });
    expect(handoff?.event_id).toMatch(/^hubspot:contact:151:owner:77:after:none$/);
    const [row] = await settled(world);
    expect(row).toMatchObject({ status: 'done', kind: 'contact.propertyChange', object_id: '151' });
    expect(row?.outcome).toMatch(/^handoff /);
  });

  it('the same contact handed to the same owner again is no new handoff; to another owner it is', async () => {
    await assign(REP);
    await world.slack.waitFor(() => salesCards(world)[0], 5_000, 'the first card');
    // HubSpot reports an unrelated re-save of the owner field: same owner.
    await postHubSpot(world.app.url, [ownerChange(151, REP.id)]);
    await settled(world);
    await assign(OTHER_REP);
    const second = await world.slack.waitFor(() => salesCards(world)[1], 5_000, 'the second card');
    expect(text(second)).toContain(`<@${OTHER_REP.slack}>`);
    await settled(world);
    expect(salesCards(world)).toHaveLength(2);
  });

  it('a deal moved to closed won celebrates amount, closer, campaign and marketer', async () => {
    const db = world.app.tandem.deps.db;
    await seedCampaign(db, {
      crm_id: 'q4-webinar',
      name: 'Q4 Webinar: Pipeline Hygiene',
      owner_slack_user_id: 'UMKT0001',
    });
    await assign();
    await world.slack.waitFor(() => salesCards(world)[0], 5_000, 'the handoff card');

    world.hubspot.setDeal(
      '9001',
      {
        dealname: 'Northwind platform rollout',
        amount: '48000',
        dealstage: 'closedwon',
        pipeline: 'default',
        closedate: '2026-11-23T09:00:00.000Z',
        hubspot_owner_id: REP.id,
      },
      ['151'],
    );
    expect((await postHubSpot(world.app.url, [stageChange(9001, 'closedwon')])).status).toBe(200);
    const win = await world.slack.waitFor(() => winsPosts(world)[0], 5_000, 'the celebration');
    expect(text(win)).toContain(`*$48,000* closed by <@${REP.slack}>`);
    expect(text(win)).toContain('Northwind platform rollout');
    expect(text(win)).toContain('Q4 Webinar: Pipeline Hygiene');
    expect(text(win)).toContain('Marketer: <@UMKT0001>');
    // A link to the deal in HubSpot, by the portal that sent the event.
    expect(text(win)).toContain(`https://app.hubspot.com/contacts/${PORTAL_ID}/record/0-3/9001|9001`);
    const [deal] = await db.selectFrom('deals').selectAll().execute();
    expect(deal).toMatchObject({ crm_id: '9001', stage: 'won', currency: 'USD', lead_crm_id: '151' });
  });

  it('a deal closed lost is stored and not celebrated; an open stage does nothing', async () => {
    world.hubspot.setDeal('9002', {
      dealname: 'Lost one',
      amount: '1000',
      dealstage: 'qualifiedtobuy',
      hubspot_owner_id: REP.id,
    });
    await postHubSpot(world.app.url, [stageChange(9002, 'qualifiedtobuy')]);
    const [open] = await settled(world);
    expect(open?.outcome).toBe('nothing: stage qualifiedtobuy is open');

    world.hubspot.setDeal('9002', { dealstage: 'closedlost', closed_lost_reason: 'No budget' });
    await postHubSpot(world.app.url, [stageChange(9002, 'closedlost')]);
    await settled(world);
    const deals = await world.app.tandem.deps.db.selectFrom('deals').selectAll().execute();
    expect(deals).toMatchObject([{ crm_id: '9002', stage: 'lost', lost_reason: 'No budget' }]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(winsPosts(world)).toHaveLength(0);
  });

  it('the same batch delivered twice acts once', async () => {
    world.hubspot.setContact('151', { ...DANA, hubspot_owner_id: REP.id });
    const batch = [ownerChange(151, REP.id)];
    expect((await postHubSpot(world.app.url, batch)).body).toMatchObject({ stored: 1, duplicates: 0 });
    expect((await postHubSpot(world.app.url, batch)).body).toMatchObject({ stored: 0, duplicates: 1 });
    await world.slack.waitFor(() => salesCards(world)[0], 5_000, 'the card');
    await settled(world);
    expect(await inboxRows(world)).toHaveLength(1);
    expect(world.hubspot.callsTo('/crm/v3/objects/contacts')).toHaveLength(1);
    expect(salesCards(world)).toHaveLength(1);
  });

  it('events out of order end in the final state', async () => {
    // Final state in HubSpot: handed to Rita; the deal won at 52,000 after an amount change.
    world.hubspot.setContact('151', { ...DANA, hubspot_owner_id: OTHER_REP.id });
    world.hubspot.setDeal(
      '9003',
      { dealname: 'Expansion', amount: '52000', dealstage: 'closedwon', hubspot_owner_id: OTHER_REP.id },
      ['151'],
    );
    const t = Date.now() - 60_000;
    // Newest first, as HubSpot may deliver them.
    await postHubSpot(world.app.url, [
      ownerChange(151, OTHER_REP.id, t + 2_000),
      hubspotEvent('deal.propertyChange', 9003, {
        propertyName: 'amount',
        propertyValue: '52000',
        occurredAt: t + 3_000,
      }),
    ]);
    await postHubSpot(world.app.url, [ownerChange(151, REP.id, t), stageChange(9003, 'closedwon', t + 1_000)]);
    await settled(world);
    // Processing is done; the outbox delivers what it committed a moment later. Then nothing more comes.
    await world.slack.waitFor(() => salesCards(world)[0], 5_000, 'the card');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const cards = salesCards(world);
    expect(cards).toHaveLength(1);
    expect(text(cards[0])).toContain(`<@${OTHER_REP.slack}>`);
    expect(text(cards[0])).not.toContain(`<@${REP.slack}>`);
    await world.slack.waitFor(() => winsPosts(world)[0], 5_000, 'the celebration');
    expect(winsPosts(world)).toHaveLength(1);
    // Contact and deal events are processed side by side: a deal seen before its contact's handoff is celebrated
    // first without the campaign, then edited once the lead is known. What the channel ends up reading is the
    // final state, posted once.
    await settled(world);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const latest = world.slack.okCallsOf('chat.update').at(-1) ?? winsPosts(world)[0];
    expect(text(latest)).toContain('*$52,000*');
    expect(text(latest)).toContain(`<@${OTHER_REP.slack}>`);
    expect(text(latest)).toContain('campaign q4-webinar');
  });

  it('answers 200 in well under a second while the HubSpot API is slow, and processes after', async () => {
    world.hubspot.delayMs = 2_000;
    world.hubspot.setContact('151', { ...DANA, hubspot_owner_id: REP.id });
    const res = await postHubSpot(world.app.url, [ownerChange(151, REP.id)]);
    expect(res.status).toBe(200);
    expect(res.ms).toBeLessThan(1_000);
    expect(salesCards(world)).toHaveLength(0);
    await world.slack.waitFor(() => salesCards(world)[0], 10_000, 'the card after the slow reads');
  });

  it('a 429 from HubSpot waits for Retry-After and the event is processed once, later', async () => {
    world.hubspot.setContact('151', { ...DANA, hubspot_owner_id: REP.id });
    world.hubspot.rateLimit(1, 1);
    await postHubSpot(world.app.url, [ownerChange(151, REP.id)]);
    await world.slack.waitFor(() => salesCards(world)[0], 5_000, 'the card after the rate limit');
    const [limited, ...rest] = world.hubspot.calls;
    expect(limited?.status).toBe(429);
    const retried = rest.find((c) => c.path === '/crm/v3/objects/contacts/151');
    expect(retried?.status).toBe(200);
    expect((retried?.at ?? 0) - (limited?.at ?? 0)).toBeGreaterThanOrEqual(950);
    const [row] = await settled(world);
    expect(row).toMatchObject({ status: 'done', attempts: 1 });
    expect(salesCards(world)).toHaveLength(1);
    const metrics = await world.app.tandem.deps.metrics.registry.metrics();
    expect(metrics).toMatch(/tandem_connector_events_total\{crm="hubspot",result="rate_limited"\} 1/);
    expect(metrics).toMatch(
      /tandem_connector_api_calls_total\{crm="hubspot",endpoint="contact",result="rate_limited"\} 1/,
    );
  });

  it('a deleted contact is done with nothing to do', async () => {
    await postHubSpot(world.app.url, [ownerChange(404, REP.id)]);
    const [row] = await settled(world);
    expect(row).toMatchObject({ status: 'done', outcome: 'nothing: contact deleted' });
  });

  it('refuses bad and stale signatures with 401 and stores nothing', async () => {
    world.hubspot.setContact('151', { ...DANA, hubspot_owner_id: REP.id });
    const batch = [ownerChange(151, REP.id)];
    expect((await postHubSpot(world.app.url, batch, { secret: 'not-the-secret' })).status).toBe(401);
    expect((await postHubSpot(world.app.url, batch, { timestamp: Date.now() - 6 * 60_000 })).status).toBe(401);
    expect((await postHubSpot(world.app.url, batch, { signature: 'none' })).status).toBe(401);
    expect(await inboxRows(world)).toHaveLength(0);
    expect(world.hubspot.calls).toHaveLength(0);
  });

  it('answers 200 to subscriptions Tandem does not use, counts them and stores nothing', async () => {
    const res = await postHubSpot(world.app.url, [
      hubspotEvent('company.creation', 5),
      hubspotEvent('ticket.propertyChange', 6, { propertyName: 'subject' }),
      hubspotEvent('contact.deletion', 7),
      hubspotEvent('contact.propertyChange', 8, { propertyName: 'firstname' }),
    ]);
    expect(res).toMatchObject({ status: 200, body: { stored: 0, ignored: 4 } });
    expect(await inboxRows(world)).toHaveLength(0);
    const metrics = await world.app.tandem.deps.metrics.registry.metrics();
    expect(metrics).toMatch(/tandem_connector_events_total\{crm="hubspot",result="ignored"\} 4/);
  });
});
