import type { Kysely } from 'kysely';

// Frozen: migrations never import application code.

export async function up(db: Kysely<unknown>): Promise<void> {
  // A link to the deal in the CRM, shown on its celebration (connectors know it; webhooks may send it).
  await db.schema.alterTable('deals').addColumn('url', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('deals').dropColumn('url').execute();
}
