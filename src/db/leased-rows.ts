import { randomUUID } from 'node:crypto';
import { type SelectQueryBuilder, sql } from 'kysely';
import type { Db } from './database.js';
import type { Database } from './schema.js';

/** Tables of work claimed under a lease: each has the columns this file reads and writes. */
export type LeasedTable = 'outbox' | 'connector_events';

/** The columns every leased row has. */
export interface LeasedRow {
  id: string;
  attempts: number;
  claim_token: string | null;
}

export interface Backlog {
  pending: number;
  failed: number;
  oldestPendingSeconds: number;
}

type Scope = (query: SelectQueryBuilder<Database, 'outbox', { id: string }>) => typeof query;

/**
 * The row states shared by the outbox and the connector inbox. A row is `pending` until it is done or `failed`;
 * while a worker holds it, it carries that worker's `claim_token` until `claimed_until`. Every write after the
 * claim is conditional on the token, so a worker whose lease ran out (and whose row another worker took) cannot
 * overwrite the newer outcome. `channel` is the NOTIFY channel that wakes the workers.
 */
export class LeasedRows<Row extends LeasedRow> {
  // Both tables share these columns; the queries are written once against one of them.
  private readonly table: 'outbox';

  constructor(
    protected readonly db: Db,
    table: LeasedTable,
    readonly channel: string,
  ) {
    this.table = table as 'outbox';
  }

  /** Claims up to `limit` due rows for `leaseMs`, oldest first, skipping rows other workers hold. */
  async claim(limit: number, leaseMs: number, scope: Scope = (q) => q): Promise<Row[]> {
    const rows = await this.db
      .updateTable(this.table)
      .set({
        claim_token: randomUUID(),
        claimed_until: sql`now() + make_interval(secs => ${leaseMs / 1000})`,
        attempts: sql`attempts + 1`,
      })
      .where('id', 'in', (eb) =>
        scope(
          eb
            .selectFrom(this.table)
            .select('id')
            .where('status', '=', 'pending')
            .where('available_at', '<=', sql<Date>`now()`)
            .where((w) => w.or([w('claimed_until', 'is', null), w('claimed_until', '<', sql<Date>`now()`)])),
        )
          .orderBy('available_at')
          .limit(limit)
          .forUpdate()
          .skipLocked(),
      )
      .returningAll()
      .execute();
    return rows as unknown as Row[];
  }

  /**
   * Frees every claim at once. Only for a database that a single process can open (PGlite, under its data
   * directory's lock): any claim found at start was left by a process that died, so waiting for its lease
   * would only delay the work.
   */
  async releaseAllClaims(): Promise<number> {
    const released = await this.db
      .updateTable(this.table)
      .set({ claim_token: null, claimed_until: null, attempts: sql`greatest(attempts - 1, 0)` })
      .where('status', '=', 'pending')
      .where('claim_token', 'is not', null)
      .executeTakeFirst();
    return Number(released.numUpdatedRows);
  }

  /** Milliseconds until the next pending row is due (undefined when none is waiting). */
  async msUntilNextDue(): Promise<number | undefined> {
    const next = await this.db
      .selectFrom(this.table)
      .select(sql<number | null>`extract(epoch from (min(available_at) - now())) * 1000`.as('ms'))
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return next?.ms == null ? undefined : Number(next.ms);
  }

  /** Puts the row back for later; an attempt that was not really one (paced, rate limited) is not counted. */
  async retryAt(row: Row, delayMs: number, reason: string, countsAsAttempt: boolean): Promise<void> {
    await this.db
      .updateTable(this.table)
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

  /** Gives the row up, keeping it (and why) to be inspected and replayed. */
  async markFailed(row: Row, reason: string): Promise<void> {
    await this.db
      .updateTable(this.table)
      .set({ status: 'failed', last_error: reason, claim_token: null, claimed_until: null })
      .where('id', '=', row.id)
      .where('claim_token', '=', row.claim_token)
      .execute();
  }

  /** Pending and failed counts and the age of the oldest pending row, for /metrics and the admin CLI. */
  async backlog(): Promise<Backlog> {
    const row = await this.db
      .selectFrom(this.table)
      .select([
        sql<number>`count(*) filter (where status = 'pending')::int`.as('pending'),
        sql<number>`count(*) filter (where status = 'failed')::int`.as('failed'),
        sql<number>`coalesce(extract(epoch from now() - min(created_at) filter (where status = 'pending')), 0)::float8`.as(
          'oldest',
        ),
      ])
      .where('status', 'in', ['pending', 'failed'])
      .executeTakeFirstOrThrow();
    return { pending: Number(row.pending), failed: Number(row.failed), oldestPendingSeconds: Number(row.oldest) };
  }

  /** The latest rows given up on, with why. */
  async listFailed(limit = 50): Promise<Array<Record<string, unknown>>> {
    const rows = await this.db
      .selectFrom(this.table)
      .selectAll()
      .where('status', '=', 'failed')
      .orderBy('created_at', 'desc')
      .limit(limit)
      .execute();
    // The payload is what was to be sent or processed: long, and personal data. The id finds it when needed.
    return rows.map(({ payload: _, claim_token: __, claimed_until: ___, ...row }) => row);
  }

  /** Requeues failed rows (all, or the ids given) with fresh attempts and wakes the workers; returns the ids. */
  async retryFailed(ids?: string[]): Promise<string[]> {
    const rows = await this.db
      .updateTable(this.table)
      .set({ status: 'pending', attempts: 0, available_at: sql`now()`, claim_token: null, claimed_until: null })
      .where('status', '=', 'failed')
      .$if(ids !== undefined, (q) => q.where('id', 'in', ids as string[]))
      .returning('id')
      .execute();
    await sql`select pg_notify(${this.channel}, '')`.execute(this.db);
    return rows.map((r) => r.id);
  }
}
