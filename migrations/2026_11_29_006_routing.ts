import { type Kysely, sql } from 'kysely';

// Frozen: migrations never import application code.

export async function up(db: Kysely<unknown>): Promise<void> {
  // Round-robin pools of reps: a lead past twice its SLA goes to the member assigned least recently.
  await db.schema
    .createTable('pools')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createTable('pool_members')
    .addColumn('pool', 'text', (c) => c.notNull().references('pools.name').onDelete('cascade'))
    .addColumn('slack_user_id', 'text', (c) => c.notNull())
    .addColumn('added_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_assigned_at', 'timestamptz')
    .addPrimaryKeyConstraint('pool_members_pkey', ['pool', 'slack_user_id'])
    .execute();
  await sql`create index pool_members_user_idx on pool_members (slack_user_id)`.execute(db);

  // Who said they are out (`/tandem away`), until a day (inclusive, YYYY-MM-DD as text: compared with today in
  // the team's zone, so no driver turns it into a moment) or until they say they are back.
  await db.schema
    .createTable('away')
    .addColumn('slack_user_id', 'text', (c) => c.primaryKey())
    .addColumn('until_day', 'text', (c) => c.check(sql`until_day ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'`))
    .addColumn('set_by', 'text', (c) => c.notNull())
    .addColumn('set_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  // Where handoff cards go: per campaign (its CRM id), else the default (campaign_crm_id ''), else SALES_CHANNEL.
  await db.schema
    .createTable('routes')
    .addColumn('campaign_crm_id', 'text', (c) => c.primaryKey())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('set_by', 'text', (c) => c.notNull())
    .addColumn('set_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  // Every reassignment: who, from whom, to whom, when and why (the digest and App Home read it).
  await db.schema
    .createTable('handoff_reassignments')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('handoff_id', 'uuid', (c) => c.notNull().references('handoffs.id').onDelete('cascade'))
    .addColumn('pool', 'text', (c) => c.notNull())
    .addColumn('from_slack_user_id', 'text', (c) => c.notNull())
    .addColumn('to_slack_user_id', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('waited_seconds', 'float8', (c) => c.notNull())
    .addColumn('reassigned_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create index handoff_reassignments_handoff_idx on handoff_reassignments (handoff_id)`.execute(db);
  await sql`create index handoff_reassignments_to_idx on handoff_reassignments (to_slack_user_id, reassigned_at)`.execute(
    db,
  );

  // One row per owner: the current 5-minute window of handoffs, how many got a card, and the summary card.
  await db.schema
    .createTable('handoff_bursts')
    .addColumn('owner_key', 'text', (c) => c.primaryKey())
    .addColumn('window_start', 'timestamptz', (c) => c.notNull())
    .addColumn('cards', 'integer', (c) => c.notNull())
    .addColumn('summarised', 'integer', (c) => c.notNull())
    .addColumn('summary_outbox_id', 'uuid')
    .execute();

  // The SLA clock: when it (re)started for the current owner, and when the reminder and the next step fall due
  // (computed in working hours by the SLA check; null until it has). A summarised handoff has no card of its own.
  await db.schema
    .alterTable('handoffs')
    .addColumn('sla_started_at', 'timestamptz')
    .addColumn('sla_due_at', 'timestamptz')
    .addColumn('sla_late_at', 'timestamptz')
    .addColumn('reassignments', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('summary_outbox_id', 'uuid')
    .execute();
  await sql`create index handoffs_summary_idx on handoffs (summary_outbox_id) where summary_outbox_id is not null`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index handoffs_summary_idx`.execute(db);
  await db.schema
    .alterTable('handoffs')
    .dropColumn('sla_started_at')
    .dropColumn('sla_due_at')
    .dropColumn('sla_late_at')
    .dropColumn('reassignments')
    .dropColumn('summary_outbox_id')
    .execute();
  for (const table of ['handoff_bursts', 'handoff_reassignments', 'routes', 'away', 'pool_members', 'pools']) {
    await db.schema.dropTable(table).execute();
  }
}
