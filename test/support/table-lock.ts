import { sql } from 'kysely';
import type { Db } from '../../src/db/database.js';

/**
 * Makes queries on `table` slow, deterministically: a transaction of its own holds an exclusive lock on it until
 * released. On PostgreSQL other statements wait for the lock; PGlite has one connection, so every other
 * transaction waits for this one.
 */
export async function holdTableLock(db: Db, table: string): Promise<{ release(): Promise<void> }> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let locked!: () => void;
  const isLocked = new Promise<void>((resolve) => {
    locked = resolve;
  });
  const done = db.transaction().execute(async (trx) => {
    await sql`lock table ${sql.table(table)} in access exclusive mode`.execute(trx);
    locked();
    await released;
  });
  await Promise.race([isLocked, done]);
  return {
    async release() {
      release();
      await done;
    },
  };
}
