import { type Kysely, sql } from 'kysely';

// Frozen: migrations never import application code.

export async function up(db: Kysely<unknown>): Promise<void> {
  // One identity map for every CRM (and the native webhooks, crm 'tandem' keyed by email): who a CRM's owner is
  // in Slack, and how we know (looked up by email, or set by an admin).
  await db.schema
    .createTable('crm_users')
    .addColumn('crm', 'text', (c) => c.notNull())
    .addColumn('crm_user_id', 'text', (c) => c.notNull())
    .addColumn('email', 'text')
    .addColumn('name', 'text')
    .addColumn('slack_user_id', 'text')
    .addColumn('resolved_by', 'text', (c) => c.notNull().check(sql`resolved_by in ('lookup', 'admin')`))
    .addColumn('resolved_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('crm_users_pkey', ['crm', 'crm_user_id'])
    .execute();
  await sql`create index crm_users_email_idx on crm_users (lower(email))`.execute(db);
  await sql`create index crm_users_slack_idx on crm_users (slack_user_id)`.execute(db);

  // A handoff remembers which CRM user owns it, so mapping that user later reaches its open cards and Home.
  await db.schema
    .alterTable('handoffs')
    .addColumn('owner_crm', 'text')
    .addColumn('owner_crm_id', 'text')
    .addColumn('owner_name', 'text')
    .execute();
  await sql`create index handoffs_owner_crm_idx on handoffs (owner_crm, owner_crm_id) where status = 'pending'`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index handoffs_owner_crm_idx`.execute(db);
  await db.schema
    .alterTable('handoffs')
    .dropColumn('owner_crm')
    .dropColumn('owner_crm_id')
    .dropColumn('owner_name')
    .execute();
  await db.schema.dropTable('crm_users').execute();
}
