import { sql } from 'kysely';
import type { Db } from '../../db/database.js';

/** What one retention run removed. */
export interface Purged {
  /** Delivered posts deleted outright. */
  outboxDeleted: number;
  /** Delivered posts kept for their Slack ts (later edits and replies need it), with their content blanked. */
  outboxBlanked: number;
  /** Processed CRM events deleted. */
  connectorEvents: number;
}

/** A delivered row's content once blanked: the ts, channel and method stay, the message is gone. */
const BLANK_PAYLOAD = '{}';

/**
 * Removes the personal data (names, emails, phones, comments) that delivered Slack posts and processed CRM events
 * carry once they are older than `cutoff`. The facts the digest counts (leads, handoffs, feedback, deals,
 * campaigns) and the event ids that keep webhooks idempotent (webhook_events: ids and kinds only) stay.
 *
 * A delivered post that something still points at keeps its row, blanked: a handoff's card, a campaign's
 * announcement and a deal's celebration are edited and replied to later by their ts, and a row another row
 * `depends_on` is that row's parent. The others are deleted, children before parents (a few passes: a reply
 * deleted in one pass frees its parent for the next).
 */
export async function purgeExpired(db: Db, cutoff: Date): Promise<Purged> {
  let outboxDeleted = 0;
  for (let pass = 0; pass < 5; pass++) {
    const deleted = await db
      .deleteFrom('outbox')
      .where('status', '=', 'delivered')
      .where('delivered_at', '<', cutoff)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(selectFrom('outbox as child').select(sql`1`.as('one')).whereRef('child.depends_on', '=', 'outbox.id')),
        ),
      )
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(selectFrom('handoffs').select(sql`1`.as('one')).whereRef('handoffs.card_outbox_id', '=', 'outbox.id')),
        ),
      )
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('campaigns')
              .select(sql`1`.as('one'))
              .whereRef('campaigns.announcement_outbox_id', '=', 'outbox.id'),
          ),
        ),
      )
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('deals').select(sql`1`.as('one')).whereRef('deals.celebration_outbox_id', '=', 'outbox.id'),
          ),
        ),
      )
      .executeTakeFirst();
    const count = Number(deleted.numDeletedRows);
    outboxDeleted += count;
    if (count === 0) break;
  }

  const blanked = await db
    .updateTable('outbox')
    .set({ payload: BLANK_PAYLOAD, last_error: null })
    .where('status', '=', 'delivered')
    .where('delivered_at', '<', cutoff)
    .where(sql<boolean>`payload <> ${BLANK_PAYLOAD}::jsonb`)
    .executeTakeFirst();

  // HubSpot redelivers an event for at most a few days; a window of RETENTION_DAYS (at least one day, 90 by
  // default) is far beyond that, so a processed event's dedupe key is no longer needed once it is deleted. Failed
  // events stay: operators replay them (npm run connector).
  const events = await db
    .deleteFrom('connector_events')
    .where('status', '=', 'done')
    .where('processed_at', '<', cutoff)
    .executeTakeFirst();

  return {
    outboxDeleted,
    outboxBlanked: Number(blanked.numUpdatedRows),
    connectorEvents: Number(events.numDeletedRows),
  };
}
