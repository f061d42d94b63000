import { type Kysely, sql } from 'kysely';

// Frozen: migrations never import application code.

export async function up(db: Kysely<unknown>): Promise<void> {
  // The time of the newest event applied to each object (its occurred_at, else when it was received): an event
  // older than this is stale and changes nothing, so a redelivered or reordered event cannot undo a newer one.
  for (const table of ['campaigns', 'deals', 'leads']) {
    await db.schema.alterTable(table).addColumn('source_updated_at', 'timestamptz').execute();
  }
  // A lead handed off again closes its earlier pending handoff as superseded.
  await sql`alter table handoffs drop constraint handoffs_status_check`.execute(db);
  await sql`alter table handoffs add constraint handoffs_status_check
    check (status in ('pending', 'accepted', 'rejected', 'superseded'))`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`update handoffs set status = 'pending' where status = 'superseded'`.execute(db);
  await sql`alter table handoffs drop constraint handoffs_status_check`.execute(db);
  await sql`alter table handoffs add constraint handoffs_status_check
    check (status in ('pending', 'accepted', 'rejected'))`.execute(db);
  for (const table of ['campaigns', 'deals', 'leads']) {
    await db.schema.alterTable(table).dropColumn('source_updated_at').execute();
  }
}
