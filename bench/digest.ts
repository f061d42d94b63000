/**
 * Benchmark (not a test): computeDigest for one week over 1M handoffs, 1M feedback rows, 100k deals and 2k campaigns
 * on real PostgreSQL. Creates and drops its own database on BENCH_DATABASE_URL's server.
 *
 *   npx tsx bench/digest.ts
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { computeDigest } from '../src/features/digest/queries.js';
import { createLogger } from '../src/logger.js';
import { generateBenchData, YEAR_START } from './generate.js';

const SERVER = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SIZE = { campaigns: 2_000, leads: 500_000, handoffs: 1_000_000, feedback: 1_000_000, deals: 100_000 };
const RUNS = 5;
const DAY_MS = 24 * 3_600_000;

const print = (line: string) => process.stdout.write(`${line}\n`);

async function admin(query: string): Promise<void> {
  const client = new pg.Client({ connectionString: SERVER });
  await client.connect();
  try {
    await client.query(query);
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  const name = `tandem_bench_${randomBytes(4).toString('hex')}`;
  const url = new URL(SERVER);
  url.pathname = `/${name}`;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'tandem-bench-'));
  const logger = createLogger('silent');
  await admin(`create database ${name}`);
  const handle = await openDatabase({ url: url.toString(), dataDir, logger });
  try {
    await migrateToLatest(handle.db, logger);
    let started = performance.now();
    await generateBenchData(handle.db, SIZE);
    print(`generated ${JSON.stringify(SIZE)} in ${((performance.now() - started) / 1000).toFixed(1)} s`);

    const from = new Date(YEAR_START.getTime() + 150 * DAY_MS);
    const to = new Date(from.getTime() + 7 * DAY_MS);
    const timings: number[] = [];
    let digest: Awaited<ReturnType<typeof computeDigest>> | undefined;
    for (let run = 0; run < RUNS; run++) {
      started = performance.now();
      digest = await computeDigest(handle.db, from, to, { slaHours: 24 });
      timings.push(performance.now() - started);
    }
    timings.sort((a, b) => a - b);
    const median = timings[Math.floor(RUNS / 2)] ?? Number.NaN;
    print(`week ${from.toISOString()} – ${to.toISOString()}: ${digest?.campaigns.length} campaign rows`);
    print(`totals ${JSON.stringify(digest?.totals)}`);
    print(`computeDigest: median ${median.toFixed(1)} ms of ${RUNS} (${timings.map((t) => t.toFixed(1)).join(', ')})`);
  } finally {
    await handle.close();
    await admin(`drop database if exists ${name} with (force)`);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
