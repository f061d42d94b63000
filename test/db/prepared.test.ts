import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase } from '../../src/db/database.js';
import { createLogger } from '../../src/logger.js';
import { createDatabase } from '../support/postgres-admin.js';

const url = process.env.TEST_DATABASE_URL;

describe.skipIf(!url)('statements on PostgreSQL', () => {
  let database: Awaited<ReturnType<typeof createDatabase>>;
  let handle: DatabaseHandle;

  beforeAll(async () => {
    database = await createDatabase(url as string, 'tandem_prepared');
    // One connection, so that the session asked about is the one that ran the statements.
    handle = await openDatabase({ url: database.url, dataDir: '.', logger: createLogger('silent'), poolSize: 1 });
  });
  afterAll(async () => {
    await handle?.close();
    await database?.drop();
  });

  it('prepares a statement with parameters once per connection and runs it again by name', async () => {
    for (const n of [1, 2, 3]) {
      const { rows } = await sql<{ n: number }>`select ${n}::int + 1 as n`.execute(handle.db);
      expect(rows).toEqual([{ n: n + 1 }]);
    }
    await sql`select 'no parameters'`.execute(handle.db);
    const { rows } = await sql<{ statement: string; runs: number }>`
      select statement, generic_plans + custom_plans as runs from pg_prepared_statements`.execute(handle.db);
    expect(rows).toEqual([{ statement: 'select $1::int + 1 as n', runs: 3 }]);
  });
});
