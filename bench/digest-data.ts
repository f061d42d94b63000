/**
 * The digest benchmark's data, generated once and reused: generating a year at full size takes minutes, timing the
 * digest seconds. A data set is named after what decides its rows (generator version, size, seed, campaign shape),
 * so a changed generator never reuses stale rows, and it is reused only once marked complete (an interrupted
 * generation is redone). `--fresh` rebuilds it anyway.
 *
 * - PostgreSQL: a database `tandem_bench_digest_<key>` on the bench server, marked complete by its COMMENT.
 * - PGlite: a data directory `<tmpdir>/tandem_bench_digest_<key>`, marked complete by a file in it.
 *
 * They are kept on purpose (drop or delete them to reclaim the disk: 1–2 GB each at full size). The bench leaves
 * their rows as they were (its write probe rolls back; its before/after runs migrate down and back up), and new
 * migrations are applied to them when they are opened.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { createLogger } from '../src/logger.js';
import { withClient } from '../test/support/postgres-admin.js';
import { type BenchSize, type CampaignShape, GENERATOR_VERSION, generateBenchData } from './generate.js';
import { print } from './lib/report.js';

const silent = createLogger('silent');

export interface Dataset {
  size: BenchSize;
  seed: number;
  campaignShape: CampaignShape;
}

/** What a complete data set records about its generation. */
export interface Generation extends Dataset {
  generator: number;
  /** Wall-clock seconds to migrate, generate, index and vacuum. */
  seconds: number;
  /** When it was generated (ISO). */
  at: string;
}

export interface Prepared {
  generation: Generation;
  /** False when this run generated it. */
  reused: boolean;
}

/** What names a data set: everything that decides its rows, in a fixed order. */
function identity({ size, seed, campaignShape }: Dataset): string {
  return JSON.stringify({ generator: GENERATOR_VERSION, size, seed, campaignShape });
}

/** `tandem_bench_digest_<hash>`: a valid, unquoted PostgreSQL identifier. */
export function datasetName(dataset: Dataset): string {
  const hash = createHash('sha256').update(identity(dataset));
  return `tandem_bench_digest_${hash.digest('hex').slice(0, 12)}`;
}

function isComplete(text: string | null | undefined, dataset: Dataset): Generation | undefined {
  if (!text) return undefined;
  try {
    const generation = JSON.parse(text) as Generation;
    const same = generation.generator === GENERATOR_VERSION && identity(generation) === identity(dataset);
    return same && typeof generation.seconds === 'number' ? generation : undefined;
  } catch {
    return undefined;
  }
}

/** Migrates and fills an empty database, timing it; the caller marks it complete. */
async function generate(url: string | undefined, dataDir: string, dataset: Dataset): Promise<Generation> {
  const started = performance.now();
  const handle = await openDatabase({ url, dataDir, logger: silent });
  try {
    await migrateToLatest(handle.db, silent);
    await generateBenchData(handle.db, dataset.size, dataset);
  } finally {
    await handle.close();
  }
  const seconds = Math.round((performance.now() - started) / 100) / 10;
  const { size, seed, campaignShape } = dataset;
  return { generator: GENERATOR_VERSION, size, seed, campaignShape, seconds, at: new Date().toISOString() };
}

/** The URL of the data set's database on `server`, generating it first unless a complete one exists. */
export async function preparePostgres(
  server: string,
  dataset: Dataset,
  { fresh, scratchDir }: { fresh: boolean; scratchDir: string },
): Promise<Prepared & { url: string }> {
  const name = datasetName(dataset);
  const url = new URL(server);
  url.pathname = `/${name}`;
  const found = await withClient(server, async (client) => {
    const { rows } = await client.query<{ comment: string | null }>(
      `select shobj_description(oid, 'pg_database') as comment from pg_database where datname = $1`,
      [name],
    );
    return rows[0];
  });
  const complete = isComplete(found?.comment, dataset);
  if (complete && !fresh) return { url: url.toString(), generation: complete, reused: true };

  print(`PostgreSQL: generating ${name} (${found ? 'replacing the one there' : 'new'}); this takes a few minutes`);
  await withClient(server, async (client) => {
    await client.query(`drop database if exists ${name} with (force)`);
    await client.query(`create database ${name}`);
  });
  const generation = await generate(url.toString(), scratchDir, dataset);
  await withClient(server, (client) =>
    // COMMENT takes no parameters: the literal is escaped by pg itself.
    client.query(`comment on database ${name} is ${client.escapeLiteral(JSON.stringify(generation))}`),
  );
  return { url: url.toString(), generation, reused: false };
}

/** The data set's PGlite data directory (DATA_DIR), generating it first unless a complete one exists. */
export async function preparePglite(
  dataset: Dataset,
  { fresh }: { fresh: boolean },
): Promise<Prepared & { dir: string }> {
  const dir = path.join(tmpdir(), datasetName(dataset));
  const marker = path.join(dir, 'bench-complete.json');
  const complete = existsSync(marker) ? isComplete(readFileSync(marker, 'utf8'), dataset) : undefined;
  if (complete && !fresh) return { dir, generation: complete, reused: true };

  print(`PGlite: generating ${dir}; this takes several minutes`);
  rmSync(dir, { recursive: true, force: true });
  const generation = await generate(undefined, dir, dataset);
  writeFileSync(marker, JSON.stringify(generation));
  return { dir, generation, reused: false };
}
