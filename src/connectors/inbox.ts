import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db/database.js';
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
 * The inbox's row states, the outbox's discipline: claims with FOR UPDATE SKIP LOCKED under a lease, and every
 * write after a claim conditional on its token, so a worker whose lease ran out cannot overwrite a newer outcome.
 */
export class InboxStore {
  constructor(private readonly db: Db) {}

  /** Claims up to `limit` due events of the given CRMs (those this process can process), oldest first. */
  async claim(crms: readonly string[], limit: number, leaseMs: number): Promise<ConnectorEventRow[]> {
    if (crms.length === 0) return [];
    return this.db
      .updateTable('connector_events')
      .set({
        claim_token: randomUUID(),
        claimed_until: sql`now() + make_interval(secs => ${leaseMs / 1000})`,
        attempts: sql`attempts + 1`,
      })
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('connector_events')
          .select('id')
          .where('status', '=', 'pending')
          .where('crm', 'in', crms)
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

  /** Single-process databases only (PGlite): claims found at start were left by a process that died. */
  async releaseAllClaims(): Promise<number> {
    const released = await this.db
      .updateTable('connector_events')
      .set({ claim_token: null, claimed_until: null, attempts: sql`greatest(attempts - 1, 0)` })
      .where('status', '=', 'pending')
      .where('claim_token', 'is not', null)
      .executeTakeFirst();
    return Number(released.numUpdatedRows);
  }

  async msUntilNextDue(): Promise<number | undefined> {
    const next = await this.db
      .selectFrom('connector_events')
      .select(sql<number | null>`extract(epoch from (min(available_at) - now())) * 1000`.as('ms'))
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return next?.ms == null ? undefined : Number(next.ms);
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

  /** Puts the row back for later; an attempt that was not really one (rate limited) is not counted. */
  async retryAt(row: ConnectorEventRow, delayMs: number, reason: string, countsAsAttempt: boolean): Promise<void> {
    await this.db
      .updateTable('connector_events')
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

  async markFailed(row: ConnectorEventRow, reason: string): Promise<void> {
    await this.db
      .updateTable('connector_events')
      .set({ status: 'failed', last_error: reason, claim_token: null, claimed_until: null, processed_at: sql`now()` })
      .where('id', '=', row.id)
      .where('claim_token', '=', row.claim_token)
      .execute();
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
