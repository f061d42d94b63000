import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import { OUTBOX_CHANNEL } from './outbox.js';

/** Pending rows and the age of the oldest, for /metrics and alerting. */
export async function outboxBacklog(
  db: Db,
): Promise<{ pending: number; failed: number; oldestPendingSeconds: number }> {
  const row = await db
    .selectFrom('outbox')
    .select([
      sql<number>`count(*) filter (where status = 'pending')::int`.as('pending'),
      sql<number>`count(*) filter (where status = 'failed')::int`.as('failed'),
      sql<number>`coalesce(extract(epoch from now() - min(created_at) filter (where status = 'pending')), 0)::float8`.as(
        'oldest',
      ),
    ])
    .where('status', 'in', ['pending', 'failed'])
    .executeTakeFirstOrThrow();
  return { pending: Number(row.pending), failed: Number(row.failed), oldestPendingSeconds: Number(row.oldest) };
}

/**
 * Puts failed deliveries back in the queue (all of them, or the ids given) with a fresh set of attempts, and
 * wakes the workers. Returns the ids requeued.
 */
export async function retryFailed(db: Db, ids?: string[]): Promise<string[]> {
  const rows = await db
    .updateTable('outbox')
    .set({ status: 'pending', attempts: 0, available_at: sql`now()`, claim_token: null, claimed_until: null })
    .where('status', '=', 'failed')
    .$if(ids !== undefined, (q) => q.where('id', 'in', ids as string[]))
    .returning('id')
    .execute();
  await sql`select pg_notify(${OUTBOX_CHANNEL}, '')`.execute(db);
  return rows.map((r) => r.id);
}

export async function listFailed(db: Db, limit = 50) {
  return db
    .selectFrom('outbox')
    .select(['id', 'method', 'channel', 'attempts', 'last_error', 'created_at'])
    .where('status', '=', 'failed')
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
}
