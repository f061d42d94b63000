import { type Kysely, sql } from 'kysely';

// Frozen: migrations never import application code.

export async function up(db: Kysely<unknown>): Promise<void> {
  // Every webhook event id ever accepted: a resent event is recognised and answered without new work.
  await db.schema
    .createTable('webhook_events')
    .addColumn('event_id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('received_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .alterTable('campaigns')
    // Created from a handoff or deal that named a campaign we had not heard of yet; filled in when it arrives.
    .addColumn('placeholder', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('announcement_outbox_id', 'uuid', (c) => c.references('outbox.id'))
    .execute();

  await db.schema
    .createTable('deals')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('crm_id', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('amount', 'numeric(16, 2)', (c) => c.notNull().check(sql`amount >= 0`))
    .addColumn('currency', 'text', (c) => c.notNull().defaultTo('USD'))
    .addColumn('stage', 'text', (c) => c.notNull().check(sql`stage in ('won', 'lost')`))
    .addColumn('lost_reason', 'text')
    .addColumn('closed_at', 'timestamptz', (c) => c.notNull())
    .addColumn('company', 'text')
    .addColumn('lead_id', 'uuid', (c) => c.references('leads.id'))
    .addColumn('lead_crm_id', 'text')
    .addColumn('lead_email', 'text')
    // As sent (deal.campaign_id) or, failing that, the campaign of the lead's most recent handoff.
    .addColumn('campaign_id', 'uuid', (c) => c.references('campaigns.id'))
    .addColumn('owner_email', 'text')
    .addColumn('owner_slack_user_id', 'text')
    .addColumn('celebration_outbox_id', 'uuid', (c) => c.references('outbox.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create index deals_closed_at_idx on deals (closed_at)`.execute(db);
  await sql`create index deals_campaign_idx on deals (campaign_id, closed_at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('deals').execute();
  await db.schema.alterTable('campaigns').dropColumn('announcement_outbox_id').dropColumn('placeholder').execute();
  await db.schema.dropTable('webhook_events').execute();
}
