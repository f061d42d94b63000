import { sql } from 'kysely';
import type { Db } from '../db/database.js';

/** Named in the outbox insert trigger too (migration 2026_11_29_007). */
export const OUTBOX_CHANNEL = 'tandem_outbox';

/**
 * What the outbox delivers: Web API methods, and `files.upload`, Tandem's name for the three calls of a file upload
 * (payload: `filename`, `title`, `alt_text`, `content_base64`; see slack/files.ts), shared in the channel or, with
 * `dependsOn`, in that message's thread.
 */
export type OutboxMethod = 'chat.postMessage' | 'chat.update' | 'files.upload';

interface Message {
  method: OutboxMethod;
  /** The Web API arguments besides `channel`: text, blocks, thread_ts, unfurl flags. */
  payload: Record<string, unknown>;
}

/**
 * A new message for `channel`, or one tied to another outbox row's message (`dependsOn`): a `chat.postMessage`
 * then goes in that message's thread (`thread_ts`) and a `chat.update` edits it (`ts`), always in the channel that
 * message was posted to. Delivery waits until that row is delivered.
 */
export type OutboundMessage = Message &
  ({ channel: string; dependsOn?: undefined } | { dependsOn: string; channel?: undefined });

/**
 * Records a Slack post to be delivered once `db` (normally a transaction holding the fact it announces) commits,
 * in one statement: a reply or edit takes its parent's channel in the insert itself. The insert's trigger sends
 * the NOTIFY, transactional too: workers on every replica wake only when the row is visible.
 */
export async function enqueue(db: Db, message: OutboundMessage): Promise<string> {
  const values = { method: message.method, payload: JSON.stringify(message.payload) };
  const insert = db.insertInto('outbox');
  const row = await (message.dependsOn === undefined
    ? insert.values({ ...values, channel: message.channel })
    : insert.columns(['method', 'payload', 'channel', 'depends_on']).expression(
        db
          .selectFrom('outbox as parent')
          .select([
            sql.val(values.method).as('method'),
            sql<string>`cast(${values.payload} as jsonb)`.as('payload'),
            'parent.channel',
            'parent.id',
          ])
          .where('parent.id', '=', message.dependsOn),
      )
  )
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}
