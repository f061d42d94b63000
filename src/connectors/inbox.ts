import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import { LeasedRows } from '../db/leased-rows.js';
import type { ConnectorEventRow } from '../db/schema.js';

/** NOTIFY channel: inbox workers on every replica wake when events are stored. */
export const INBOX_CHANNEL = 'tandem_connector_inbox';

/** A CRM event as received, before any API call: enough to find the object again and to dedupe. */
export interface InboxEvent {
  /** The CRM's identity of the event; the same key twice is one event. */
  dedupeKey: string;
  /** e.g. `contact.propertyChange`. */
  kind: string;
  objectId: string;
  payload: Record<string, unknown>;
}

/**
 * Stores a batch durably in one transaction, each distinct event once (redeliveries are ignored), and wakes the
 * workers when it commits. Returns how many events were new.
 */
export async function storeEvents(db: Db, crm: string, events: InboxEvent[]): Promise<number> {
  if (events.length === 0) return 0;
  return db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('connector_events')
      .values(
        events.map((e) => ({
          crm,
          dedupe_key: e.dedupeKey,
          kind: e.kind,
          object_id: e.objectId,
          payload: JSON.stringify(e.payload),
        })),
      )
      .onConflict((oc) => oc.columns(['crm', 'dedupe_key']).doNothing())
      .returning('id')
      .execute();
    if (inserted.length > 0) await sql`select pg_notify(${INBOX_CHANNEL}, '')`.execute(trx);
    return inserted.length;
  });
}

/** The claim was lost (lease ran out, another worker took the row): its outcome must not be recorded. */
export class LostClaim extends Error {}

/**
 * The inbox's row states: the claims, retries and failures every leased table shares (the outbox's discipline),
 * plus completing an event together with its domain step.
 */
export class InboxStore extends LeasedRows<ConnectorEventRow> {
  constructor(db: Db) {
    super(db, 'connector_events', INBOX_CHANNEL);
  }

  /** Claims up to `limit` due events of the given CRMs (those this process can process), oldest first. */
  claimFor(crms: readonly string[], limit: number, leaseMs: number): Promise<ConnectorEventRow[]> {
    if (crms.length === 0) return Promise.resolve([]);
    // The scope is written against the outbox's columns (see LeasedRows); `crm` is the inbox's own.
    return this.claim(limit, leaseMs, (q) => q.where(sql.ref('crm'), 'in', crms));
  }

  /**
   * Marks the row done and runs `apply` (the domain step) in the same transaction: both commit or neither does.
   * Throws LostClaim, rolling back, when the row is no longer this worker's.
   */
  async complete(
    row: ConnectorEventRow,
    outcome: string,
    apply?: (trx: Db) => Promise<string | undefined>,
  ): Promise<string> {
    return this.db.transaction().execute(async (trx) => {
      const marked = await trx
        .updateTable('connector_events')
        .set({ status: 'done', outcome, processed_at: sql`now()`, claim_token: null, last_error: null })
        .where('id', '=', row.id)
        .where('claim_token', '=', row.claim_token)
        .executeTakeFirst();
      if (Number(marked.numUpdatedRows) === 0) throw new LostClaim(`connector event ${row.id} was claimed by another`);
      const applied = await apply?.(trx);
      if (applied === undefined || applied === outcome) return outcome;
      await trx.updateTable('connector_events').set({ outcome: applied }).where('id', '=', row.id).execute();
      return applied;
    });
  }

  /** After a 429 the CRM's rate limit holds for every event of that CRM, not only the one that met it. */
  async holdPending(crm: string, delayMs: number): Promise<void> {
    await this.db
      .updateTable('connector_events')
      .set({ available_at: sql`greatest(available_at, now() + make_interval(secs => ${delayMs / 1000}))` })
      .where('status', '=', 'pending')
      .where('crm', '=', crm)
      .where('claim_token', 'is', null)
      .execute();
  }
}
