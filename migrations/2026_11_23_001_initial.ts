import { type Kysely, sql } from 'kysely';

// Frozen: migrations never import application code, so they mean the same thing forever.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('campaigns')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('crm_id', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('launched').check(sql`status in ('planned', 'launched', 'updated', 'ended')`),
    )
    .addColumn('channel', 'text')
    .addColumn('starts_at', 'timestamptz')
    .addColumn('ends_at', 'timestamptz')
    .addColumn('audience', 'text')
    .addColumn('goal', 'text')
    .addColumn('talking_points', 'text')
    .addColumn('offer', 'text')
    .addColumn('url', 'text')
    .addColumn('budget', 'numeric(16, 2)')
    .addColumn('owner_email', 'text')
    .addColumn('owner_slack_user_id', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('leads')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('crm_id', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('email', 'text')
    .addColumn('company', 'text')
    .addColumn('title', 'text')
    .addColumn('phone', 'text')
    .addColumn('score', 'smallint', (c) => c.check(sql`score between 0 and 100`))
    .addColumn('source', 'text')
    .addColumn('url', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create index leads_email_idx on leads (lower(email))`.execute(db);

  await db.schema
    .createTable('outbox')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('payload', 'jsonb', (c) => c.notNull())
    // A row whose payload needs another message's ts (a thread reply, a chat.update) waits for it.
    .addColumn('depends_on', 'uuid', (c) => c.references('outbox.id'))
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('pending').check(sql`status in ('pending', 'delivered', 'failed')`),
    )
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('available_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('claim_token', 'uuid')
    .addColumn('claimed_until', 'timestamptz')
    .addColumn('last_error', 'text')
    .addColumn('delivered_ts', 'text')
    .addColumn('delivered_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create index outbox_pending_idx on outbox (available_at) where status = 'pending'`.execute(db);
  await sql`create index outbox_depends_on_idx on outbox (depends_on) where depends_on is not null`.execute(db);

  await db.schema
    .createTable('handoffs')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('event_id', 'text', (c) => c.notNull().unique())
    .addColumn('lead_id', 'uuid', (c) => c.notNull().references('leads.id'))
    .addColumn('campaign_id', 'uuid', (c) => c.references('campaigns.id'))
    .addColumn('owner_email', 'text')
    .addColumn('owner_slack_user_id', 'text')
    .addColumn('notes', 'text')
    .addColumn('occurred_at', 'timestamptz', (c) => c.notNull())
    .addColumn('received_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('pending').check(sql`status in ('pending', 'accepted', 'rejected')`),
    )
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', 'timestamptz')
    .addColumn('reject_reason', 'text')
    .addColumn('card_outbox_id', 'uuid', (c) => c.references('outbox.id'))
    .addColumn('sla_reminded_at', 'timestamptz')
    .addColumn('sla_escalated_at', 'timestamptz')
    .execute();
  await sql`create index handoffs_occurred_at_idx on handoffs (occurred_at)`.execute(db);
  await sql`create index handoffs_lead_recent_idx on handoffs (lead_id, occurred_at desc, received_at desc)`.execute(
    db,
  );
  await sql`create index handoffs_campaign_idx on handoffs (campaign_id, occurred_at)`.execute(db);
  await sql`create index handoffs_pending_idx on handoffs (occurred_at) where status = 'pending'`.execute(db);

  await db.schema
    .createTable('lead_feedback')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('lead_id', 'uuid', (c) => c.notNull().references('leads.id'))
    // The handoff it judges, when the lead had one: the digest attributes feedback through it.
    .addColumn('handoff_id', 'uuid', (c) => c.references('handoffs.id'))
    .addColumn('rater_slack_user_id', 'text', (c) => c.notNull())
    .addColumn('rating', 'smallint', (c) => c.notNull().check(sql`rating between 1 and 5`))
    .addColumn('sales_ready', 'boolean', (c) => c.notNull())
    .addColumn('reasons', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('comment', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create index lead_feedback_created_at_idx on lead_feedback (created_at)`.execute(db);
  await sql`create index lead_feedback_lead_idx on lead_feedback (lead_id, created_at desc)`.execute(db);
  await sql`create index lead_feedback_handoff_idx on lead_feedback (handoff_id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['lead_feedback', 'handoffs', 'outbox', 'leads', 'campaigns']) {
    await db.schema.dropTable(table).execute();
  }
}
