import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import { LeasedRows } from '../db/leased-rows.js';
import type { OutboxRow } from '../db/schema.js';
import { OUTBOX_CHANNEL } from './outbox.js';

/**
 * The outbox's row states in SQL: the claims, retries and failures every leased table shares, plus what only
 * Slack deliveries need (a message's ts for the replies and edits that wait for it, holds after a 429).
 */
export class OutboxStore extends LeasedRows<OutboxRow> {
  constructor(db: Db) {
    super(db, 'outbox', OUTBOX_CHANNEL);
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
    // One statement (one round trip, one commit): the row delivered, then what waited for it made due now.
    const delivered = this.db
      .updateTable('outbox')
      .set({ status: 'delivered', delivered_ts: ts, delivered_at: sql`now()`, claim_token: null, last_error: null })
      .where('id', '=', row.id)
      .where('claim_token', '=', row.claim_token)
      .returning('id');
    await this.db
      .with('delivered', () => delivered)
      .updateTable('outbox')
      .set({ available_at: sql`now()` })
      .where('depends_on', 'in', (eb) => eb.selectFrom('delivered').select('delivered.id'))
      .where('status', '=', 'pending')
      .where('claim_token', 'is', null)
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
