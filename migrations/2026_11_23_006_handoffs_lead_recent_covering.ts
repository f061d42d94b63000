import { type Kysely, sql } from 'kysely';

// Frozen: migrations never import application code.

export async function up(db: Kysely<unknown>): Promise<void> {
  // The digest attributes every feedback row of its period (and every deal stored without a campaign) to the campaign
  // of the lead's most recent handoff: one probe of this index per row, ~20k a week. With campaign_id carried in the
  // index, a probe is answered from the index alone (an index-only scan) instead of also reading a heap page at a
  // random place. Same key as before, so it replaces the old index: a handoff insert still updates as many indexes.
  // Built inside the migration's transaction (CREATE INDEX CONCURRENTLY cannot be), so handoff writes wait while it
  // builds: a few seconds per million handoffs.
  await sql`
    create index handoffs_lead_recent_covering_idx
    on handoffs (lead_id, occurred_at desc, received_at desc) include (campaign_id)
  `.execute(db);
  await sql`drop index handoffs_lead_recent_idx`.execute(db);
  await sql`alter index handoffs_lead_recent_covering_idx rename to handoffs_lead_recent_idx`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`create index handoffs_lead_recent_plain_idx on handoffs (lead_id, occurred_at desc, received_at desc)`.execute(
    db,
  );
  await sql`drop index handoffs_lead_recent_idx`.execute(db);
  await sql`alter index handoffs_lead_recent_plain_idx rename to handoffs_lead_recent_idx`.execute(db);
}
