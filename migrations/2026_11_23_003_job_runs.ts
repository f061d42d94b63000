import { type Kysely, sql } from 'kysely';

// Frozen: migrations never import application code.

export async function up(db: Kysely<unknown>): Promise<void> {
  // One row per scheduled run that some replica claimed: the primary key makes the claim exactly-once.
  await db.schema
    .createTable('job_runs')
    .addColumn('job', 'text', (c) => c.notNull())
    .addColumn('scheduled_for', 'timestamptz', (c) => c.notNull())
    .addColumn('claimed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('claimed_by', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('job_runs_pkey', ['job', 'scheduled_for'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('job_runs').execute();
}
