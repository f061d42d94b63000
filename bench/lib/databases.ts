/**
 * Databases and directories a benchmark owns: a database of its own on the local PostgreSQL server (created with a
 * random name, dropped with (force) at the end) and temp dirs (for DATA_DIR), each registered with the Cleanup.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PGliteDialect } from 'kysely';
import pg from 'pg';
import { openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import type { Database } from '../../src/db/schema.js';
import { createLogger } from '../../src/logger.js';
import type { Cleanup } from './cleanup.js';

/** The server benchmarks create their databases on. */
export const PG_SERVER = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const silent = createLogger('silent');

async function admin(query: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_SERVER });
  await client.connect();
  try {
    await client.query(query);
  } finally {
    await client.end();
  }
}

/** A temp dir removed at the end. */
export function tempDir(cleanup: Cleanup, prefix = 'tandem-bench-'): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  cleanup.add(`remove ${dir}`, () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A new, empty database `tandem_bench_<random>` on PG_SERVER, dropped (with force) at the end; its URL. */
export async function createPostgresDatabase(cleanup: Cleanup): Promise<string> {
  const name = `tandem_bench_${randomBytes(5).toString('hex')}`;
  await admin(`create database ${name}`);
  cleanup.add(`drop database ${name}`, () => admin(`drop database if exists ${name} with (force)`));
  const url = new URL(PG_SERVER);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Brings a PostgreSQL database to Tandem's schema, as the app would at start. */
export async function migratePostgres(url: string, dataDir: string): Promise<void> {
  const handle = await openDatabase({ url, dataDir, logger: silent });
  try {
    await migrateToLatest(handle.db, silent);
  } finally {
    await handle.close();
  }
}

/** An embedded PGlite in `dir`, migrated to Tandem's schema, for baselines that talk to PGlite directly. */
export async function openMigratedPglite(dir: string): Promise<PGlite> {
  const pglite = await PGlite.create(path.join(dir, 'pglite'));
  // Not destroyed: that would close the PGlite the caller goes on using.
  await migrateToLatest(new Kysely<Database>({ dialect: new PGliteDialect({ pglite }) }), silent);
  return pglite;
}

/** Runs `sql` once against a database (seeding, counting). */
export async function queryOnce<Row extends object>(url: string, sql: string, params: unknown[] = []): Promise<Row[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<Row>(sql, params)).rows;
  } finally {
    await client.end();
  }
}
