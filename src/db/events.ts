import type { Db } from './database.js';

/**
 * Records an event id in `trx`; false when it was recorded before (the event is a duplicate). Webhooks, Slack's
 * Events API and the /campaign modal share the table, each with its own `kind`.
 */
export async function recordEventOnce(trx: Db, eventId: string, kind: string): Promise<boolean> {
  const recorded = await trx
    .insertInto('webhook_events')
    .values({ event_id: eventId, kind })
    .onConflict((oc) => oc.column('event_id').doNothing())
    .returning('event_id')
    .executeTakeFirst();
  return recorded !== undefined;
}
