import { type Kysely, sql } from 'kysely';

// Frozen: migrations never import application code.

export async function up(db: Kysely<unknown>): Promise<void> {
  // Token buckets pacing posts per channel. Kept in the database so that all replicas together stay within
  // Slack's per-channel limit, not each one separately.
  await db.schema
    .createTable('channel_buckets')
    .addColumn('channel', 'text', (c) => c.primaryKey())
    .addColumn('tokens', 'float8', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    // Set from a 429's Retry-After: nothing is posted to the channel before then, by any replica.
    .addColumn('held_until', 'timestamptz')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('channel_buckets').execute();
}
