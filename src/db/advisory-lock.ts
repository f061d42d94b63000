import { sql } from 'kysely';
import type { Db } from './database.js';

/**
 * Holds a lock on `key` until the caller's transaction ends; others asking for the same key wait. For what a row
 * lock cannot hold: a row that does not exist yet.
 */
export async function lockUntilCommit(trx: Db, key: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`.execute(trx);
}
