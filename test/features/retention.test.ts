import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { storeEvents } from '../../src/connectors/inbox.js';
import { retentionJob } from '../../src/features/retention/job.js';
import { enqueue } from '../../src/slack/outbox.js';
import { useTestApp } from '../support/app-lifecycle.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { eventually } from '../support/eventually.js';
import { CHANNELS, DIGEST_API_TOKEN } from '../support/harness.js';
import { handoffEvent, postWebhook } from '../support/webhooks.js';

/** The last year up to a day ahead: the widest period /api/digest computes, covering everything the test sends. */
const DAY = 86_400_000;
// One clock reading: two could fall a millisecond apart and make the range longer than the API's 366 days.
const NOW = Date.now();
const PERIOD = `?from=${new Date(NOW - 365 * DAY).toISOString()}&to=${new Date(NOW + DAY).toISOString()}`;
const OLD = sql<Date>`now() - interval '100 days'`;

describe.each(DATABASE_KINDS)('retention on %s', (kind) => {
  const t = useTestApp(kind);
  const db = () => t.app.tandem.deps.db;

  const allDelivered = () =>
    eventually(
      async () => {
        const rows = await db().selectFrom('outbox').select('status').execute();
        return rows.length > 0 && rows.every((r) => r.status === 'delivered');
      },
      10_000,
      'every post delivered',
    );
  const digestFigures = async () => {
    const res = await fetch(`${t.app.url}/api/digest${PERIOD}`, {
      headers: { authorization: `Bearer ${DIGEST_API_TOKEN}` },
    });
    expect(res.status).toBe(200);
    return res.json();
  };
  const outboxRow = (id: string) => db().selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirst();

  it('removes personal data past RETENTION_DAYS and keeps the facts, the ids and what newer posts need', async () => {
    // What a quarter ago left behind: a handoff card with a reply in its thread, a win, a campaign, a CRM event.
    const oldHandoff = handoffEvent({
      event_id: 'evt-old-handoff',
      lead: { id: 'L-OLD', name: 'Dana Whitfield', email: 'dana@northwind.example', phone: '+1 555 0100' },
      owner: { slack_user_id: 'UREP0001' },
    });
    expect((await postWebhook(t.app.url, '/webhooks/lead-handoff', oldHandoff)).status).toBe(202);
    const deal = {
      id: 'D-OLD',
      name: 'Northwind rollout',
      amount: 48000,
      lead_id: 'L-OLD',
      owner: { slack_user_id: 'UREP0001' },
    };
    expect((await postWebhook(t.app.url, '/webhooks/deal-closed', { event_id: 'evt-old-deal', deal })).status).toBe(
      202,
    );
    const campaign = { id: 'CMP-OLD', name: 'Autumn webinar', owner: { email: 'mia@acme.example' } };
    expect((await postWebhook(t.app.url, '/webhooks/campaign', { event_id: 'evt-old-cmp', campaign })).status).toBe(
      202,
    );
    await allDelivered();
    const card = await db().selectFrom('handoffs').select('card_outbox_id').executeTakeFirstOrThrow();
    const cardId = card.card_outbox_id as string;
    const reply = await enqueue(db(), {
      method: 'chat.postMessage',
      dependsOn: cardId,
      payload: { text: 'Dana called' },
    });
    const digestPost = await enqueue(db(), {
      method: 'chat.postMessage',
      channel: CHANNELS.DIGEST_CHANNEL,
      payload: { text: 'digest' },
    });
    await allDelivered();
    await storeEvents(db(), 'hubspot', [
      { dedupeKey: 'old-done', kind: 'contact.creation', objectId: '1', payload: { email: 'dana@northwind.example' } },
      { dedupeKey: 'old-failed', kind: 'contact.creation', objectId: '2', payload: { email: 'x@y.example' } },
      { dedupeKey: 'new-done', kind: 'contact.creation', objectId: '3', payload: { email: 'z@y.example' } },
    ]);
    await db().updateTable('connector_events').set({ status: 'done', processed_at: sql`now()` }).execute();
    await db()
      .updateTable('connector_events')
      .set({ status: 'failed' })
      .where('dedupe_key', '=', 'old-failed')
      .execute();
    await db().updateTable('outbox').set({ delivered_at: OLD }).execute();
    await db()
      .updateTable('connector_events')
      .set({ processed_at: OLD })
      .where('dedupe_key', 'like', 'old-%')
      .execute();

    // Newer: a handoff card today, and an edit of the old card still waiting for Slack.
    const newHandoff = handoffEvent({ lead: { id: 'L-NEW', name: 'Ari Novak' }, owner: { slack_user_id: 'UREP0001' } });
    expect((await postWebhook(t.app.url, '/webhooks/lead-handoff', newHandoff)).status).toBe(202);
    await allDelivered();
    const newCard = await db()
      .selectFrom('outbox')
      .selectAll()
      .where('delivered_at', '>', sql<Date>`now() - interval '1 day'`)
      .executeTakeFirstOrThrow();
    const pendingEdit = await db()
      .insertInto('outbox')
      .values({
        method: 'chat.update',
        channel: CHANNELS.SALES_CHANNEL,
        payload: '{"text":"edit"}',
        depends_on: reply,
        available_at: sql`now() + interval '1 day'`,
      })
      .returning('id')
      .executeTakeFirstOrThrow();

    const before = await digestFigures();
    const facts = sql<{ n: string }>`select (select count(*) from leads) + (select count(*) from handoffs)
      + (select count(*) from deals) + (select count(*) from campaigns) + (select count(*) from webhook_events) as n`;
    const factsBefore = Number((await facts.execute(db())).rows[0]?.n);

    await retentionJob(t.app.tandem.deps).run(new Date(Math.floor(Date.now() / 1000) * 1000));

    expect(await outboxRow(digestPost)).toBeUndefined(); // an old post nothing refers to: gone
    for (const id of [cardId, reply]) {
      // Still needed for its ts (the card is edited later; the reply is the parent of a pending edit), but blank.
      expect(await outboxRow(id)).toMatchObject({ status: 'delivered', payload: {}, delivered_ts: expect.any(String) });
    }
    const oldTexts = JSON.stringify(
      await db().selectFrom('outbox').select('payload').where('id', '!=', newCard.id).execute(),
    );
    expect(oldTexts).not.toMatch(/Dana|Northwind|Autumn/);
    expect(await outboxRow(newCard.id)).toMatchObject({ payload: newCard.payload });
    expect(await outboxRow(pendingEdit.id)).toMatchObject({ status: 'pending', payload: { text: 'edit' } });
    const events = await db().selectFrom('connector_events').select('dedupe_key').orderBy('dedupe_key').execute();
    expect(events.map((e) => e.dedupe_key)).toEqual(['new-done', 'old-failed']);

    // The digest's facts and the event ids stay: the same figures, and a redelivered old event is still a duplicate.
    expect(Number((await facts.execute(db())).rows[0]?.n)).toBe(factsBefore);
    expect(await digestFigures()).toEqual(before);
    expect(await postWebhook(t.app.url, '/webhooks/lead-handoff', oldHandoff)).toEqual({
      status: 200,
      body: { ok: true, duplicate: true },
    });
  });

  it('runs once per tick across replicas', async () => {
    const job = retentionJob(t.app.tandem.deps);
    const tick = new Date('2026-11-29T03:30:00Z');
    await Promise.all([job.run(tick), job.run(tick)]);
    const runs = await db().selectFrom('job_runs').selectAll().where('job', '=', 'retention').execute();
    expect(runs).toHaveLength(1);
  });
});
