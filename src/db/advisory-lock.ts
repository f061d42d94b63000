import { type RawBuilder, sql } from 'kysely';
import type { Db } from './database.js';

/**
 * Holds a lock on each key until the caller's transaction ends; others asking for one of them wait. For what a row
 * lock cannot hold: a row that does not exist yet. Several keys are taken in one statement, in the order given
 * (the function scan yields the array in order, and each row's lock is taken as it is produced): callers that
 * share keys must list them in the same order.
 */
export async function lockUntilCommit(trx: Db, ...keys: string[]): Promise<void> {
  if (keys.length === 0) return;
  await sql`select ${keysLocked(keys)}`.execute(trx);
}

/** An expression that takes `keys`' locks in order (see lockUntilCommit) and is their number. */
export function keysLocked(keys: readonly string[]): RawBuilder<number> {
  return sql<number>`(select count(pg_advisory_xact_lock(hashtextextended(k, 0))) from unnest(cast(${keys} as text[])) k)`;
}
