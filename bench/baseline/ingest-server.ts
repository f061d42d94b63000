/**
 * The second baseline beside Tandem in bench/ingest.ts: the smallest HTTP server that takes a lead-handoff event
 * and commits what it must before answering, on the same PostgreSQL and the same schema (Tandem's migrations, so
 * its indexes and triggers too): `node:http`, `JSON.parse`, and `pg` (a pool as large as Tandem's) sending four
 * INSERTs in one transaction: the event id, the lead upsert, the handoff (its campaign found by a subselect) and
 * the card's outbox row. No signature check, no validation, no logging: what is left of Tandem's work is what it
 * adds. The card is built by Tandem's own handoffCard, so the outbox payload has the same size.
 *
 *   DATABASE_URL=… PORT=… POOL_SIZE=10 npx tsx bench/baseline/ingest-server.ts
 */
import { createServer } from 'node:http';
import pg from 'pg';
import type { Handoff, Lead } from '../../src/db/schema.js';
import { handoffCard } from '../../src/features/handoffs/blocks.js';
import { CAMPAIGN_IDS, type LeadHandoff } from '../lib/events.js';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};

const SALES_CHANNEL = 'C0SALES0001';
const LEAD_COLUMNS = ['name', 'email', 'company', 'title', 'phone', 'score', 'source', 'url'] as const;

const pool = new pg.Pool({ connectionString: env('DATABASE_URL'), max: Number(env('POOL_SIZE')) });

/** The four INSERTs; false when the event id was already recorded. */
async function insertEvent(client: pg.PoolClient, event: LeadHandoff): Promise<boolean> {
  const recorded = await client.query(
    `insert into webhook_events (event_id, kind) values ($1, 'lead-handoff')
     on conflict (event_id) do nothing returning event_id`,
    [event.event_id],
  );
  if (recorded.rowCount === 0) return false;
  const { lead: l } = event;
  const fields = LEAD_COLUMNS.map((column) => l[column] ?? null);
  const lead = await client.query<Lead>(
    `insert into leads (crm_id, ${LEAD_COLUMNS.join(', ')}) values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     on conflict (crm_id) do update set ${LEAD_COLUMNS.map((c) => `${c} = excluded.${c}`).join(', ')}, updated_at = now()
     returning *`,
    [l.id, ...fields],
  );
  const handoff = await client.query<Handoff>(
    `insert into handoffs (event_id, lead_id, campaign_id, owner_slack_user_id, notes, occurred_at)
     values ($1, $2, (select id from campaigns where crm_id = $3), $4, $5, $6) returning *`,
    [event.event_id, lead.rows[0]?.id, l.campaign_id, event.owner.slack_user_id, l.notes, event.occurred_at],
  );
  const campaign = l.campaign_id ? { name: l.campaign_id, url: null, placeholder: true } : undefined;
  // biome-ignore lint/style/noNonNullAssertion: both statements return their one row
  const card = handoffCard({ handoff: handoff.rows[0]!, lead: lead.rows[0]!, campaign });
  await client.query('insert into outbox (method, channel, payload) values ($1, $2, $3)', [
    'chat.postMessage',
    SALES_CHANNEL,
    JSON.stringify({ ...card, unfurl_links: false }),
  ]);
  return true;
}

async function handle(body: string): Promise<number> {
  const event = JSON.parse(body) as LeadHandoff;
  const client = await pool.connect();
  try {
    await client.query('begin');
    const inserted = await insertEvent(client, event);
    await client.query(inserted ? 'commit' : 'rollback');
    return inserted ? 202 : 200;
  } catch (err) {
    await client.query('rollback').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

// Campaigns as Tandem has them after its first events (placeholders it creates for unknown campaign ids).
await pool.query(
  `insert into campaigns (crm_id, name, status, placeholder) select id, id, 'planned', true from unnest($1::text[]) id
   on conflict (crm_id) do nothing`,
  [CAMPAIGN_IDS],
);

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    handle(Buffer.concat(chunks).toString('utf8')).then(
      (status) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(status === 202 ? '{"ok":true}' : '{"ok":true,"duplicate":true}');
      },
      (err: unknown) => {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok: false, error: String(err) }));
      },
    );
  });
});
server.keepAliveTimeout = 60_000;
server.listen(Number(env('PORT')), '127.0.0.1');
process.once('SIGTERM', () => {
  server.close();
  pool.end().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
