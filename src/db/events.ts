import { sql } from 'kysely';
import { keysLocked } from './advisory-lock.js';
import type { Db } from './database.js';

/**
 * Records an event id in `trx`; false when it was recorded before (the event is a duplicate). Webhooks, Slack's
 * Events API and the /campaign modal share the table, each with its own `kind`. A new event also takes `locks`
 * (lockUntilCommit) in the same statement, after its id is in: one round trip where two were.
 */
export async function recordEventOnce(
  trx: Db,
  eventId: string,
  kind: string,
  locks: readonly string[] = [],
): Promise<boolean> {
  // The locks are taken only once the insert has returned its row (a duplicate takes none), so every event holds
  // its own id before it waits for a lock: two deliveries of one event cannot wait for each other.
  const { rows } = await sql<{ recorded: boolean }>`
    with recorded as (
      insert into webhook_events (event_id, kind) values (${eventId}, ${kind})
      on conflict (event_id) do nothing returning event_id
    )
    select exists (select from recorded) as recorded,
      (select ${locks.length > 0 ? keysLocked(locks) : sql`0`} from recorded) as locked`.execute(trx);
  return rows[0]?.recorded === true;
}
