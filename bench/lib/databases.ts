/**
 * Databases and directories a benchmark owns: a database of its own on the local PostgreSQL server (created with a
 * random name, dropped with (force) at the end) and temp dirs (for DATA_DIR), each registered with the Cleanup.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { Kysely, PGliteDialect } from 'kysely';
import { migrateToLatest } from '../../src/db/migrate.js';
import { openPgliteDir } from '../../src/db/pglite.js';
import type { Database } from '../../src/db/schema.js';
import { createLogger } from '../../src/logger.js';
import { createDatabase } from '../../test/support/postgres-admin.js';
import type { Cleanup } from './cleanup.js';

/** The server benchmarks create their databases on. */
export const PG_SERVER = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const silent = createLogger('silent');

/** A temp dir removed at the end. */
export function tempDir(cleanup: Cleanup, prefix = 'tandem-bench-'): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  cleanup.add(`remove ${dir}`, () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A new, empty database `tandem_bench_<random>` on PG_SERVER, dropped (with force) at the end; its URL. */
export async function createPostgresDatabase(cleanup: Cleanup): Promise<string> {
  const database = await createDatabase(PG_SERVER, 'tandem_bench');
  cleanup.add(`drop database ${database.name}`, () => database.drop());
  return database.url;
}

/**
 * An embedded PGlite in `dir`, opened as Tandem opens it and migrated to Tandem's schema, for baselines that talk to
 * PGlite directly.
 */
export async function openMigratedPglite(dir: string): Promise<PGlite> {
  const pglite = await openPgliteDir(path.join(dir, 'pglite'), silent);
  // Not destroyed: that would close the PGlite the caller goes on using.
  await migrateToLatest(new Kysely<Database>({ dialect: new PGliteDialect({ pglite }) }), silent);
  return pglite;
}
