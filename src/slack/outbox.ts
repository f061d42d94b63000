import { sql } from 'kysely';
import type { Db } from '../db/database.js';

export const OUTBOX_CHANNEL = 'tandem_outbox';

/** Web API methods the outbox delivers. */
export type OutboxMethod = 'chat.postMessage' | 'chat.update';

export interface OutboundMessage {
  method: OutboxMethod;
  channel: string;
  /** The Web API arguments besides `channel`: text, blocks, thread_ts, unfurl flags. */
  payload: Record<string, unknown>;
  /**
   * Another outbox row whose message this one needs: a `chat.postMessage` then goes in that message's thread
   * (`thread_ts`), a `chat.update` edits that message (`ts`). Delivery waits until that row is delivered.
   */
  dependsOn?: string;
}

/**
 * Records a Slack post to be delivered once `db` (normally a transaction holding the fact it announces) commits.
 * The NOTIFY is transactional too: workers on every replica wake only when the row is visible.
 */
export async function enqueue(db: Db, message: OutboundMessage): Promise<string> {
  const row = await db
    .insertInto('outbox')
    .values({
      method: message.method,
      channel: message.channel,
      payload: JSON.stringify(message.payload),
      depends_on: message.dependsOn ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await sql`select pg_notify(${OUTBOX_CHANNEL}, '')`.execute(db);
  return row.id;
}
