import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import type { Db } from '../db/database.js';
import { recordEventOnce } from '../db/events.js';
import type { Logger } from '../logger.js';

/**
 * Slack retries an Events API request it thinks went unanswered (`x-slack-retry-num`), and Bolt passes every
 * retry on. Each event id is recorded once; a repeat is acknowledged (Bolt acks events itself) and dropped.
 */
export function skipRepeatedEvents(db: Db, logger: Logger): Middleware<AnyMiddlewareArgs> {
  return async ({ body, next }) => {
    const { type, event_id: eventId } = body as { type?: string; event_id?: unknown };
    if (type !== 'event_callback' || typeof eventId !== 'string') return next();
    let first = true;
    try {
      first = await recordEventOnce(db, `slack:${eventId}`, 'slack-event');
    } catch (err) {
      // Better to risk handling an event twice than to drop it because the database hiccuped.
      logger.warn({ err, eventId }, 'could not record a Slack event id; handling it anyway');
    }
    if (!first) {
      logger.info({ eventId }, 'repeated Slack event ignored');
      return;
    }
    await next();
  };
}
