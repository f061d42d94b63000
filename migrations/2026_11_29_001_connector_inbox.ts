import { type Kysely, sql } from 'kysely';

// Frozen: migrations never import application code.

export async function up(db: Kysely<unknown>): Promise<void> {
  // Durable intake for CRM connectors: each distinct CRM event once, then claimed and processed like the outbox.
  await db.schema
    .createTable('connector_events')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('crm', 'text', (c) => c.notNull())
    // The CRM's own identity of an event (HubSpot: portal, eventId, object, property, occurredAt).
    .addColumn('dedupe_key', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('object_id', 'text', (c) => c.notNull())
    .addColumn('payload', 'jsonb', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('pending').check(sql`status in ('pending', 'done', 'failed')`),
    )
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('available_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('claim_token', 'uuid')
    .addColumn('claimed_until', 'timestamptz')
    .addColumn('last_error', 'text')
    // What processing did: a handoff, a deal, nothing (and why).
    .addColumn('outcome', 'text')
    .addColumn('processed_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('connector_events_crm_dedupe_key', ['crm', 'dedupe_key'])
    .execute();
  await sql`create index connector_events_pending_idx on connector_events (available_at) where status = 'pending'`.execute(
    db,
  );

  // The newest version of each CRM object acted on: an older copy (fetched before a newer one was applied) is stale.
  await db.schema
    .createTable('connector_objects')
    .addColumn('crm', 'text', (c) => c.notNull())
    .addColumn('object_type', 'text', (c) => c.notNull())
    .addColumn('object_id', 'text', (c) => c.notNull())
    .addColumn('modified_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('connector_objects_pkey', ['crm', 'object_type', 'object_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('connector_objects').execute();
  await db.schema.dropTable('connector_events').execute();
}
