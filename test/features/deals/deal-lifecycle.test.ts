import { describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../../support/databases.js';
import { CHANNELS } from '../../support/harness.js';
import { celebration, dealWorld, messageText, outboxRows, sendDeal, storedDeals, winsPosts } from './deal-world.js';

describe.each(DATABASE_KINDS)('a deal over its life on %s', (kind) => {
  const world = dealWorld(kind);

  it('stores a lost deal with its reason and posts nothing', async () => {
    const res = await sendDeal(world, { stage: 'lost', lost_reason: 'Went with a competitor' });
    expect(res.status).toBe(202);

    const [deal] = await storedDeals(world);
    expect(deal).toMatchObject({ stage: 'lost', lost_reason: 'Went with a competitor', celebration_outbox_id: null });
    expect(deal?.campaign_id).toBe(world.campaign.id); // the digest counts it against the campaign
    // The 202 comes after the commit, so an empty outbox now means no post is ever coming.
    expect(await outboxRows(world)).toHaveLength(0);
  });

  it('edits the celebration when the amount is corrected, and never posts it twice', async () => {
    await sendDeal(world, {}, 'evt-first');
    const posted = await celebration(world);

    const res = await sendDeal(world, { amount: 52000.5 }, 'evt-correction');
    expect(res).toEqual({ status: 202, body: { ok: true, id: 'evt-correction' } });

    const deals = await storedDeals(world);
    expect(deals).toHaveLength(1);
    expect(deals[0]?.amount).toMatch(/^52000\.50*$/);
    const rows = await outboxRows(world);
    expect(rows.map((r) => r.method).sort()).toEqual(['chat.postMessage', 'chat.update']);
    expect(rows.find((r) => r.method === 'chat.update')?.depends_on).toBe(deals[0]?.celebration_outbox_id);

    const update = await world.slack.waitFor(() => world.slack.okCallsOf('chat.update')[0], 5_000, 'the edit');
    expect(update.args).toMatchObject({ channel: CHANNELS.WINS_CHANNEL, ts: posted.ts });
    expect(messageText(update)).toContain('*$52,000.50* closed by');
    expect(messageText(update)).toContain('Q4 Webinar: Pipeline Hygiene');
    expect(winsPosts(world)).toHaveLength(1);
  });

  it('changes nothing in Slack when the same deal is sent again with nothing new', async () => {
    await sendDeal(world);
    await sendDeal(world, { amount: 48000.0, currency: 'usd' });
    const rows = await outboxRows(world);
    expect(rows.map((r) => r.method)).toEqual(['chat.postMessage']);
  });

  it('celebrates once when several events for a new deal arrive at the same time', async () => {
    const answers = await Promise.all([1, 2, 3, 4].map(() => sendDeal(world)));
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202, 202]);
    expect(await storedDeals(world)).toHaveLength(1);
    expect((await outboxRows(world)).filter((r) => r.method === 'chat.postMessage')).toHaveLength(1);
    // The same deal four times changes nothing the celebration shows: no edits either.
    expect((await outboxRows(world)).filter((r) => r.method === 'chat.update')).toHaveLength(0);
  });

  it('celebrates a deal that was lost and then won, once', async () => {
    await sendDeal(world, { stage: 'lost', lost_reason: 'No budget' });
    expect(await outboxRows(world)).toHaveLength(0);

    await sendDeal(world, { stage: 'won' });
    const [deal] = await storedDeals(world);
    expect(deal).toMatchObject({ stage: 'won', lost_reason: null });
    expect(deal?.celebration_outbox_id).toBeTruthy();
    expect(messageText(await celebration(world))).toContain('*$48,000* closed by');

    await sendDeal(world, { stage: 'won' });
    expect((await outboxRows(world)).map((r) => r.method)).toEqual(['chat.postMessage']);
  });

  it('strikes the celebration through when a won deal is later lost, and stores the stage', async () => {
    await sendDeal(world);
    const posted = await celebration(world);
    await sendDeal(world, { stage: 'lost', lost_reason: 'Contract fell through' });
    const [deal] = await storedDeals(world);
    expect(deal).toMatchObject({ stage: 'lost', lost_reason: 'Contract fell through' });
    const rows = await outboxRows(world);
    expect(rows.map((r) => r.method)).toEqual(['chat.postMessage', 'chat.update']);
    expect(rows[1]?.depends_on).toBe(deal?.celebration_outbox_id);

    const edit = await world.slack.waitFor(() => world.slack.okCallsOf('chat.update')[0], 5_000, 'the edit');
    expect(edit.args).toMatchObject({ channel: CHANNELS.WINS_CHANNEL, ts: posted.ts });
    expect(messageText(edit)).toContain('*Reopened and lost*');
    expect(messageText(edit)).toContain('Contract fell through');
    expect(messageText(edit)).toContain('~🎉 Closed won: $48,000~');
    expect(winsPosts(world)).toHaveLength(1);
  });

  it('dates a deal sent without closed_at when first seen, and keeps the date when a later event omits it', async () => {
    const before = Date.now();
    await sendDeal(world, { closed_at: undefined });
    const first = (await storedDeals(world))[0]?.closed_at.getTime() ?? 0;
    expect(first).toBeGreaterThanOrEqual(before - 5_000); // database and test clocks may differ slightly
    expect(first).toBeLessThanOrEqual(Date.now() + 5_000);

    await sendDeal(world, { closed_at: '2026-11-20T12:00:00Z' });
    expect((await storedDeals(world))[0]?.closed_at.toISOString()).toBe('2026-11-20T12:00:00.000Z');

    await sendDeal(world, { closed_at: undefined, lead_id: undefined, company: undefined, amount: 47000 });
    const [deal] = await storedDeals(world);
    expect(deal?.closed_at.toISOString()).toBe('2026-11-20T12:00:00.000Z');
    // A partial correction does not erase what the deal was attributed to.
    expect(deal).toMatchObject({ company: 'Northwind', lead_id: world.lead.id, campaign_id: world.campaign.id });
  });

  it('answers a resent event_id as a duplicate and does nothing new', async () => {
    await sendDeal(world, {}, 'evt-once');
    const res = await sendDeal(world, { amount: 99_999 }, 'evt-once');
    expect(res).toEqual({ status: 200, body: { ok: true, duplicate: true } });

    const deals = await storedDeals(world);
    expect(deals).toHaveLength(1);
    expect(Number(deals[0]?.amount)).toBe(48000);
    expect(await outboxRows(world)).toHaveLength(1);
  });

  it('refuses invalid amounts and currencies with the path of each problem, storing nothing', async () => {
    const negative = await sendDeal(world, { amount: -5 });
    expect(negative.status).toBe(400);
    expect(negative.body).toMatchObject({
      ok: false,
      error: 'invalid_payload',
      issues: [expect.objectContaining({ path: 'deal.amount' })],
    });

    const currency = await sendDeal(world, { currency: 'XYZ' });
    expect(currency.status).toBe(400);
    expect(currency.body).toMatchObject({
      error: 'invalid_payload',
      issues: [expect.objectContaining({ path: 'deal.currency' })],
    });

    const db = world.app.tandem.deps.db;
    expect(await storedDeals(world)).toHaveLength(0);
    expect(await db.selectFrom('webhook_events').selectAll().execute()).toHaveLength(0);
    expect(await outboxRows(world)).toHaveLength(0);
  });
});
