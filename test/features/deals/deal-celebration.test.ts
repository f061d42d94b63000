import { describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../../support/databases.js';
import { seedCampaign, seedHandoff, seedLead } from '../../support/fixtures.js';
import { CHANNELS } from '../../support/harness.js';
import {
  celebration,
  dealWorld,
  messageText,
  outboxRows,
  REP_ID,
  sendDeal,
  storedDeals,
  winsPosts,
} from './deal-world.js';

describe.each(DATABASE_KINDS)('a won deal is celebrated on %s', (kind) => {
  const world = dealWorld(kind);

  it('stores the deal and tells WINS who closed how much, and how marketing got the lead', async () => {
    const res = await sendDeal(world, {}, 'evt-win-1');
    expect(res).toEqual({ status: 202, body: { ok: true, id: 'evt-win-1' } });

    const [deal] = await storedDeals(world);
    expect(deal).toMatchObject({
      crm_id: 'D-500',
      name: 'Northwind platform rollout',
      currency: 'USD',
      stage: 'won',
      company: 'Northwind',
      lead_id: world.lead.id,
      lead_crm_id: 'L-1001',
      campaign_id: world.campaign.id,
      owner_email: 'rep@acme.example',
      owner_slack_user_id: REP_ID,
    });
    expect(Number(deal?.amount)).toBe(48000);
    expect(deal?.closed_at.toISOString()).toBe('2026-11-23T09:00:00.000Z');

    const post = await celebration(world);
    expect(post.args.channel).toBe(CHANNELS.WINS_CHANNEL);
    const text = messageText(post);
    expect(text).toContain(`*$48,000* closed by <@${REP_ID}>`);
    expect(text).toContain('Northwind platform rollout');
    expect(text).toContain('<https://crm.example.com/campaigns/7|Q4 Webinar: Pipeline Hygiene>');
    expect(text).toContain('Marketer: <@UMKT0001>');
    expect(text).toContain('Nov 3, 2026 · 20 days to close');
    expect(text).toContain('★★★★☆ 4/5'); // the latest rating, not the first
    expect(String(post.args.text)).toContain(`<@${REP_ID}> closed Northwind platform rollout`);

    const [row] = await outboxRows(world);
    expect(deal?.celebration_outbox_id).toBe(row?.id);
  });

  it('finds the lead by its email, any case, the most recently updated of several', async () => {
    const db = world.app.tandem.deps.db;
    const other = await seedCampaign(db, { crm_id: 'CMP-8', name: 'Old Trade Show', owner_slack_user_id: 'UMKT0002' });
    const stale = await seedLead(db, {
      crm_id: 'L-0999',
      name: 'Dana W (old record)',
      email: 'DANA@northwind.example',
    });
    await seedHandoff(db, { lead_id: stale.id, campaign_id: other.id, occurred_at: new Date('2026-10-01T00:00:00Z') });
    await db.updateTable('leads').set({ updated_at: '2026-01-01T00:00:00Z' }).where('id', '=', stale.id).execute();

    const res = await sendDeal(world, { lead_id: undefined, lead_email: 'Dana@Northwind.EXAMPLE' });
    expect(res.status).toBe(202);

    const [deal] = await storedDeals(world);
    expect(deal).toMatchObject({ lead_id: world.lead.id, lead_crm_id: null, campaign_id: world.campaign.id });
    const text = messageText(await celebration(world));
    expect(text).toContain('Q4 Webinar: Pipeline Hygiene');
    expect(text).not.toContain('Old Trade Show');
  });

  it('credits the campaign the deal names over the campaign of the lead’s handoff', async () => {
    const db = world.app.tandem.deps.db;
    const named = await seedCampaign(db, {
      crm_id: 'CMP-9',
      name: 'ABM: Northwind',
      owner_email: 'mia@acme.example',
    });
    await sendDeal(world, { campaign_id: 'CMP-9' });

    const [deal] = await storedDeals(world);
    expect(deal?.campaign_id).toBe(named.id);
    const text = messageText(await celebration(world));
    expect(text).toContain('ABM: Northwind');
    expect(text).toContain('Marketer: mia@acme.example');
    expect(text).not.toContain('Q4 Webinar');
    expect(text).toContain('Nov 3, 2026 · 20 days to close'); // still the lead's own handoff
  });

  it('keeps the credit for a campaign not heard of yet in a placeholder', async () => {
    await sendDeal(world, { campaign_id: 'CMP-404' });

    const placeholder = await world.app.tandem.deps.db
      .selectFrom('campaigns')
      .selectAll()
      .where('crm_id', '=', 'CMP-404')
      .executeTakeFirstOrThrow();
    expect(placeholder).toMatchObject({ name: 'CMP-404', placeholder: true, status: 'planned' });
    expect((await storedDeals(world))[0]?.campaign_id).toBe(placeholder.id);
    expect(messageText(await celebration(world))).toContain('Marketer: _not on record_');
  });

  it('says a deal came from outside any tracked campaign, naming an unknown rep by email', async () => {
    const res = await sendDeal(world, {
      id: 'D-777',
      name: 'Walk-in deal',
      amount: 12500,
      currency: 'eur',
      lead_id: 'L-NOPE',
      company: undefined,
      owner: { email: 'new.rep@acme.example' },
    });
    expect(res.status).toBe(202);

    const [deal] = await storedDeals(world);
    expect(deal).toMatchObject({ lead_id: null, lead_crm_id: 'L-NOPE', campaign_id: null, currency: 'EUR' });
    const text = messageText(await celebration(world));
    expect(text).toContain('*€12,500* closed by new.rep@acme.example');
    expect(text).toContain('Sourced outside a tracked campaign');
    expect(text).not.toMatch(/Marketer|Handed off|Lead quality/);
  });

  it('escapes mentions and links hidden in deal, company and campaign names', async () => {
    await world.app.tandem.deps.db
      .updateTable('campaigns')
      .set({ name: '<!here> launch' })
      .where('id', '=', world.campaign.id)
      .execute();
    await sendDeal(world, { name: '<!channel> mega deal', company: '<@U999> & Co' });

    const post = await celebration(world);
    const text = messageText(post);
    expect(text).not.toMatch(/<!channel>|<!here>|<@U999>/);
    expect(text).toContain('&lt;!channel&gt; mega deal');
    expect(text).toContain('&lt;@U999&gt; &amp; Co');
    expect(text).toContain('&lt;!here&gt; launch');
    expect(winsPosts(world)).toHaveLength(1);
  });
});
