/**
 * Opening the embedded database (PGlite) within the app's memory budget. Measured (bench/rss.ts, BENCHMARKS.md) on
 * PGlite 0.5 under Node 24: without the measures here and in pglite-init.ts the process held 800+ MiB after a first
 * start.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { PGlite } from '@electric-sql/pglite';
import type { Logger } from '../logger.js';
import { initialiseDataDir } from './pglite-init.js';

/**
 * Postgres settings on top of PGlite's own. PGlite zero-fills its whole shared memory when it starts, so every MB of
 * shared_buffers is resident from the start: 128MB (initdb's choice) cost ~120 MiB of RSS; 16MB holds this app's hot
 * pages (the tables are small and the OS caches the files behind them anyway).
 */
export const PGLITE_SETTINGS: Readonly<Record<string, string>> = { shared_buffers: '16MB' };

export const START_PARAMS: readonly string[] = [
  ...PGlite.defaultStartParams,
  ...Object.entries(PGLITE_SETTINGS).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
];

/**
 * V8 flags for the whole process: WebAssembly stays on its baseline compiler (Liftoff). With tiering on, Node 24's
 * optimising compiler spends ~3.5 s of CPU and ~600 MB of memory on one function (Postgres's SQL parser, 100 KB of
 * wasm) soon after every start. Transactions like the app's ran as fast on Liftoff alone once the other had warmed
 * up, and much faster before (it competes for the CPU meanwhile). They must be set before PGlite compiles its module,
 * and `npm start`'s command line is not the database's to extend: hence at run time. PGlite is the app's only wasm.
 */
const WASM_FLAGS = ['--no-wasm-tier-up', '--no-wasm-dynamic-tiering'];

/** A PGlite on the data directory `dir` (created and initialised when new), opened with the settings above. */
export async function openPgliteDir(dir: string, logger: Logger): Promise<PGlite> {
  for (const flag of WASM_FLAGS) setFlagsFromString(flag);
  if (!existsSync(path.join(dir, 'PG_VERSION'))) {
    const started = Date.now();
    const initialised = await initialiseDataDir(dir, START_PARAMS);
    logger.info({ dataDir: dir, ms: Date.now() - started, ...initialised }, 'embedded database initialised');
  }
  return PGlite.create(dir, { startParams: [...START_PARAMS] });
}
