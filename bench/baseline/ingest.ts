/**
 * The baseline beside Tandem in bench/ingest.ts: the rows Tandem writes for one lead-handoff event, written with
 * plain SQL and no application around it (no HTTP, signature, JSON, zod or kysely), in the same transaction shape
 * as src/http/webhook.ts + src/features/handoffs/record.ts: event id, lead upsert, campaign placeholder, handoff,
 * the card's outbox row with its NOTIFY, and the handoff's card id. The card is built by Tandem's own handoffCard
 * so the outbox payload has the same size.
 */
import type { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';
import type { Campaign, Handoff, Lead } from '../../src/db/schema.js';
import { handoffCard } from '../../src/features/handoffs/blocks.js';
import { OUTBOX_CHANNEL } from '../../src/slack/outbox.js';
import type { LeadHandoff } from '../lib/events.js';

/** One statement in a transaction: the driver-specific part. */
type Query = <Row>(text: string, params: unknown[]) => Promise<Row[]>;

const LEAD_COLUMNS = ['name', 'email', 'company', 'title', 'phone', 'score', 'source', 'url'] as const;

async function insertHandoffRows(query: Query, event: LeadHandoff, salesChannel: string): Promise<void> {
  const recorded = await query(
    'insert into webhook_events (event_id, kind) values ($1, $2) on conflict (event_id) do nothing returning event_id',
    [event.event_id, 'lead-handoff'],
  );
  if (recorded.length === 0) throw new Error(`duplicate event ${event.event_id}`);

  const { lead: l } = event;
  const fields = LEAD_COLUMNS.map((column) => l[column] ?? null);
  const [lead] = await query<Lead>(
    `insert into leads (crm_id, ${LEAD_COLUMNS.join(', ')}) values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     on conflict (crm_id) do update set ${LEAD_COLUMNS.map((c, i) => `${c} = $${i + 10}`).join(', ')}, updated_at = now()
     returning *`,
    [l.id, ...fields, ...fields],
  );

  await query(
    `insert into campaigns (crm_id, name, status, placeholder) values ($1, $2, 'planned', true)
     on conflict (crm_id) do nothing`,
    [l.campaign_id, l.campaign_id],
  );
  const [campaign] = await query<Campaign>('select * from campaigns where crm_id = $1', [l.campaign_id]);

  const [handoff] = await query<Handoff>(
    `insert into handoffs (event_id, lead_id, campaign_id, owner_email, owner_slack_user_id, notes, occurred_at)
     values ($1, $2, $3, $4, $5, $6, $7) returning *`,
    [event.event_id, lead?.id, campaign?.id, null, event.owner.slack_user_id, l.notes, event.occurred_at],
  );
  if (!lead || !handoff) throw new Error('insert returned no row');

  const payload = { ...handoffCard({ handoff, lead, campaign }), unfurl_links: false };
  const [card] = await query<{ id: string }>(
    'insert into outbox (method, channel, payload, depends_on) values ($1, $2, $3, $4) returning id',
    ['chat.postMessage', salesChannel, JSON.stringify(payload), null],
  );
  await query("select pg_notify($1, '')", [OUTBOX_CHANNEL]);
  await query('update handoffs set card_outbox_id = $1 where id = $2 returning *', [card?.id, handoff.id]);
}

/** Writes one event's rows in a transaction on a client of `pool`. */
export async function insertWithPg(pool: pg.Pool, event: LeadHandoff, salesChannel: string): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    await insertHandoffRows(
      async <Row>(text: string, params: unknown[]) => (await client.query(text, params)).rows as Row[],
      event,
      salesChannel,
    );
    await client.query('commit');
  } catch (err) {
    await client.query('rollback').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

/** Writes one event's rows in a PGlite transaction (PGlite runs one at a time, as it does under Tandem). */
export async function insertWithPglite(pglite: PGlite, event: LeadHandoff, salesChannel: string): Promise<void> {
  await pglite.transaction((tx) =>
    insertHandoffRows(
      async <Row>(text: string, params: unknown[]) => (await tx.query<Row>(text, params)).rows,
      event,
      salesChannel,
    ),
  );
}
