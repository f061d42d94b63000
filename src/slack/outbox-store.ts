import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import type { OutboxRow } from '../db/schema.js';

/**
 * The outbox's row states in SQL. A row is `pending` until delivered or failed; while a worker holds it, it
 * carries that worker's `claim_token` until `claimed_until`. Every change after the claim is conditional on the
 * token, so a worker whose lease ran out (and whose row another worker took) cannot overwrite the newer outcome.
 */
export class OutboxStore {
  constructor(private readonly db: Db) {}

  /** Claims up to `limit` due rows for `leaseMs`, oldest first, skipping rows other workers hold. */
  claim(limit: number, leaseMs: number): Promise<OutboxRow[]> {
    return this.db
      .updateTable('outbox')
      .set({
        claim_token: randomUUID(),
        claimed_until: sql`now() + make_interval(secs => ${leaseMs / 1000})`,
        attempts: sql`attempts + 1`,
      })
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('outbox')
          .select('id')
          .where('status', '=', 'pending')
          .where('available_at', '<=', sql<Date>`now()`)
          .where((w) => w.or([w('claimed_until', 'is', null), w('claimed_until', '<', sql<Date>`now()`)]))
          .orderBy('available_at')
          .limit(limit)
          .forUpdate()
          .skipLocked(),
      )
      .returningAll()
      .execute();
  }

  /**
   * Frees every claim at once. Only for a database that a single process can open (PGlite, under its data
   * directory's lock): any claim found at start was left by a process that died, so waiting for its lease
   * would only delay the delivery.
   */
  async releaseAllClaims(): Promise<number> {
    const released = await this.db
      .updateTable('outbox')
      .set({ claim_token: null, claimed_until: null, attempts: sql`greatest(attempts - 1, 0)` })
      .where('status', '=', 'pending')
      .where('claim_token', 'is not', null)
      .executeTakeFirst();
    return Number(released.numUpdatedRows);
  }

  /** Milliseconds until the next pending row is due (undefined when none is waiting). */
  async msUntilNextDue(): Promise<number | undefined> {
    const next = await this.db
      .selectFrom('outbox')
      .select(sql<number | null>`extract(epoch from (min(available_at) - now())) * 1000`.as('ms'))
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return next?.ms == null ? undefined : Number(next.ms);
  }

  parentOf(row: OutboxRow) {
    return this.db
      .selectFrom('outbox')
      .select(['status', 'delivered_ts', 'channel'])
      .where('id', '=', row.depends_on as string)
      .executeTakeFirst();
  }

  /** Records the delivery, then makes replies and edits waiting for this message's ts due at once. */
  async markDelivered(row: OutboxRow, ts: string | null): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await tx
        .updateTable('outbox')
        .set({ status: 'delivered', delivered_ts: ts, delivered_at: sql`now()`, claim_token: null, last_error: null })
        .where('id', '=', row.id)
        .where('claim_token', '=', row.claim_token)
        .execute();
      await tx
        .updateTable('outbox')
        .set({ available_at: sql`now()` })
        .where('depends_on', '=', row.id)
        .where('status', '=', 'pending')
        .where('claim_token', 'is', null)
        .execute();
    });
  }

  /** Puts the row back for later; an attempt that was not really one (paced, rate limited) is not counted. */
  async retryAt(row: OutboxRow, delayMs: number, reason: string, countsAsAttempt: boolean): Promise<void> {
    await this.db
      .updateTable('outbox')
      .set({
        available_at: sql`now() + make_interval(secs => ${delayMs / 1000})`,
        claim_token: null,
        claimed_until: null,
        last_error: reason,
        attempts: countsAsAttempt ? row.attempts : row.attempts - 1,
      })
      .where('id', '=', row.id)
      .where('claim_token', '=', row.claim_token)
      .execute();
  }

  async markFailed(row: OutboxRow, reason: string): Promise<void> {
    await this.db
      .updateTable('outbox')
      .set({ status: 'failed', last_error: reason, claim_token: null, claimed_until: null })
      .where('id', '=', row.id)
      .where('claim_token', '=', row.claim_token)
      .execute();
  }

  /** After a 429, what else waits for the same channel and method waits as long; other channels carry on. */
  async holdPending(channel: string, method: string, delayMs: number): Promise<void> {
    await this.db
      .updateTable('outbox')
      .set({ available_at: sql`greatest(available_at, now() + make_interval(secs => ${delayMs / 1000}))` })
      .where('status', '=', 'pending')
      .where('channel', '=', channel)
      .where('method', '=', method)
      .where('claim_token', 'is', null)
      .execute();
  }
}
