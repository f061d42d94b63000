import { describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../../support/databases.js';
import { postWebhook } from '../../support/webhooks.js';
import { celebration, dealWorld, messageText, outboxRows, REP_EMAIL, storedDeals } from './deal-world.js';

let counter = 0;

/** A deal-closed event for D-500 that says when the CRM changed the deal. */
function sendDealAt(world: ReturnType<typeof dealWorld>, occurredAt: string | undefined, deal: object = {}) {
  return postWebhook(world.app.url, '/webhooks/deal-closed', {
    event_id: `evt-order-${++counter}`,
    ...(occurredAt ? { occurred_at: occurredAt } : {}),
    deal: { id: 'D-500', name: 'Northwind platform rollout', amount: 48000, owner: { email: REP_EMAIL }, ...deal },
  });
}

describe.each(DATABASE_KINDS)('deal events out of order on %s', (kind) => {
  const world = dealWorld(kind);

  it('records a late lost older than the win, changes nothing and posts nothing', async () => {
    expect((await sendDealAt(world, '2026-11-23T10:00:00Z')).status).toBe(202);
    await celebration(world);
    const late = await sendDealAt(world, '2026-11-23T09:00:00Z', { stage: 'lost', lost_reason: 'No budget' });
    expect(late).toEqual({ status: 200, body: { ok: true, stale: true } });

    const [deal] = await storedDeals(world);
    expect(deal).toMatchObject({ stage: 'won', lost_reason: null });
    expect(deal?.source_updated_at?.toISOString()).toBe('2026-11-23T10:00:00.000Z');
    expect((await outboxRows(world)).map((r) => r.method)).toEqual(['chat.postMessage']);
    // Recorded: its redelivery is a duplicate, not a second chance.
    const events = await world.app.tandem.deps.db.selectFrom('webhook_events').select('event_id').execute();
    expect(events).toHaveLength(2);
  });

  it('lets a newer lost reopen the win and strikes the celebration through', async () => {
    await sendDealAt(world, '2026-11-23T10:00:00Z');
    await celebration(world);
    expect((await sendDealAt(world, '2026-11-24T10:00:00Z', { stage: 'lost' })).status).toBe(202);
    expect((await storedDeals(world))[0]?.stage).toBe('lost');
    const edit = await world.slack.waitFor(() => world.slack.okCallsOf('chat.update')[0], 5_000, 'the edit');
    expect(messageText(edit)).toContain('*Reopened and lost* Nov 24, 2026');
  });

  it('applies events without occurred_at in the order received', async () => {
    await sendDealAt(world, '2026-11-23T10:00:00Z');
    // No time of its own: as new as its receipt, which is after the stored event time.
    expect((await sendDealAt(world, undefined, { amount: 50000 })).status).toBe(202);
    expect(Number((await storedDeals(world))[0]?.amount)).toBe(50000);
  });

  it('credits the campaign once the lead of a deal that closed first is handed off', async () => {
    // The CRM sent the win before the handoff of its lead: no lead yet, so no campaign to name.
    expect((await sendDealAt(world, undefined, { lead_id: 'L-2002', company: 'Contoso' })).status).toBe(202);
    expect(messageText(await celebration(world))).toContain('Sourced outside a tracked campaign');

    const handoff = await postWebhook(world.app.url, '/webhooks/lead-handoff', {
      event_id: `evt-order-${++counter}`,
      lead: { id: 'L-2002', name: 'Priya Raman', campaign_id: 'CMP-7' },
      owner: { email: REP_EMAIL },
    });
    expect(handoff.status).toBe(202);
    const [deal] = await storedDeals(world);
    expect(deal).toMatchObject({ lead_id: expect.any(String), campaign_id: world.campaign.id });
    const edit = await world.slack.waitFor(() => world.slack.okCallsOf('chat.update')[0], 5_000, 'the edit');
    expect(messageText(edit)).toContain('Q4 Webinar: Pipeline Hygiene');
    expect(messageText(edit)).toContain('Priya Raman');
  });

  it("credits the campaign when a win and its lead's first handoff arrive at the same time", async () => {
    // The two take turns on the lead (its locks are taken with the event id): whichever commits second sees the
    // other, so no pair leaves its deal uncredited, whatever the order.
    const leads = ['L-3001', 'L-3002', 'L-3003', 'L-3004', 'L-3005', 'L-3006'];
    const answers = await Promise.all(
      leads.flatMap((leadId, i) => [
        postWebhook(world.app.url, '/webhooks/deal-closed', {
          event_id: `evt-together-deal-${i}`,
          deal: {
            id: `D-together-${i}`,
            name: `Deal ${i}`,
            amount: 1000,
            owner: { email: REP_EMAIL },
            lead_id: leadId,
          },
        }),
        postWebhook(world.app.url, '/webhooks/lead-handoff', {
          event_id: `evt-together-handoff-${i}`,
          lead: { id: leadId, name: `Lead ${i}`, campaign_id: 'CMP-7' },
          owner: { email: REP_EMAIL },
        }),
      ]),
    );
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 202));
    const deals = await storedDeals(world);
    expect(Object.fromEntries(deals.map((d) => [d.crm_id, d.campaign_id]))).toEqual(
      Object.fromEntries(leads.map((_, i) => [`D-together-${i}`, world.campaign.id])),
    );
  });
});
