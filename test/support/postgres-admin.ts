/**
 * PostgreSQL administration the tests and the benchmarks share: one client for one piece of work, a database of its
 * own on a server (a random name, dropped with force), brought to Tandem's schema. No vitest here: bench/ imports it.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { createLogger } from '../../src/logger.js';

/** Runs `work` on a client of its own connected to `url`, and closes it whatever happens. */
export async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Runs `sql` once against a database (seeding, counting, checking) and returns its rows. */
export function queryOnce<Row extends object>(url: string, sql: string, params: unknown[] = []): Promise<Row[]> {
  return withClient(url, async (client) => (await client.query<Row>(sql, params)).rows);
}

export interface ServerDatabase {
  name: string;
  url: string;
  /** Drops it, with (force): connections an app left open do not keep it. */
  drop(): Promise<void>;
}

/** A new, empty database `<prefix>_<random>` on the server `serverUrl` points at (as a user that may create one). */
export async function createDatabase(serverUrl: string, prefix: string): Promise<ServerDatabase> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await withClient(serverUrl, (client) => client.query(`create database ${name}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    async drop() {
      await withClient(serverUrl, (client) => client.query(`drop database if exists ${name} with (force)`));
    },
  };
}

/** Brings a database (PostgreSQL at `url`, or PGlite in `dataDir` when there is none) to Tandem's schema. */
export async function migrateDatabase(url: string | undefined, dataDir: string): Promise<void> {
  const logger = createLogger('silent');
  const handle = await openDatabase({ url, dataDir, logger });
  try {
    await migrateToLatest(handle.db, logger);
  } finally {
    await handle.close();
  }
}
