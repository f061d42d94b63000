import { sql } from 'kysely';
import { Gauge } from 'prom-client';
import type { Db } from '../db/database.js';
import type { Metrics } from '../metrics.js';
import { INBOX_CHANNEL } from './inbox.js';

/** Pending and failed CRM events and the age of the oldest pending one, for /metrics and `npm run connector`. */
export async function inboxBacklog(db: Db): Promise<{ pending: number; failed: number; oldestPendingSeconds: number }> {
  const row = await db
    .selectFrom('connector_events')
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

/** The latest events given up on, with why. */
export function listFailed(db: Db, limit = 50) {
  return db
    .selectFrom('connector_events')
    .select(['id', 'crm', 'kind', 'object_id', 'attempts', 'last_error', 'created_at', 'processed_at'])
    .where('status', '=', 'failed')
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
}

/** Requeues failed events (all, or the ids given) with fresh attempts and wakes the workers; returns the ids. */
export async function retryFailed(db: Db, ids?: string[]): Promise<string[]> {
  const rows = await db
    .updateTable('connector_events')
    .set({ status: 'pending', attempts: 0, available_at: sql`now()`, claim_token: null, claimed_until: null })
    .where('status', '=', 'failed')
    .$if(ids !== undefined, (q) => q.where('id', 'in', ids as string[]))
    .returning('id')
    .execute();
  await sql`select pg_notify(${INBOX_CHANNEL}, '')`.execute(db);
  return rows.map((r) => r.id);
}

/** Inbox gauges, read from the database when /metrics is scraped (one read per scrape; a failed read sets none). */
export function registerInboxGauges(metrics: Metrics, db: Db): void {
  let latest: Promise<Backlog | undefined> | undefined;
  const backlog = () => {
    latest ??= inboxBacklog(db)
      .catch(() => undefined)
      .finally(() => setTimeout(() => (latest = undefined), 500).unref());
    return latest;
  };
  const gauge = (name: string, help: string, pick: (b: Backlog) => number) =>
    new Gauge({
      name,
      help,
      registers: [metrics.registry],
      async collect() {
        const b = await backlog();
        if (b) this.set(pick(b));
      },
    });
  gauge('tandem_connector_inbox_pending', 'CRM events stored and waiting to be processed', (b) => b.pending);
  gauge('tandem_connector_inbox_failed', 'CRM events given up on (replay with npm run connector)', (b) => b.failed);
  gauge(
    'tandem_connector_inbox_oldest_pending_seconds',
    'Age of the oldest CRM event not yet processed',
    (b) => b.oldestPendingSeconds,
  );
}

type Backlog = Awaited<ReturnType<typeof inboxBacklog>>;
