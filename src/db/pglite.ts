/**
 * Opening the embedded database (PGlite) within the app's memory budget. Measured (bench/rss.ts, BENCHMARKS.md) on
 * PGlite 0.5 under Node 24: without the three measures below the process held 800+ MiB after a first start.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { PGlite } from '@electric-sql/pglite';
import type { Logger } from '../logger.js';

/**
 * Postgres settings on top of PGlite's own. PGlite zero-fills its whole shared memory when it starts, so every MB of
 * shared_buffers is resident from the start: 128MB (initdb's choice) cost ~120 MiB of RSS; 16MB holds this app's hot
 * pages (the tables are small and the OS caches the files behind them anyway).
 */
export const PGLITE_SETTINGS: Readonly<Record<string, string>> = { shared_buffers: '16MB' };

const START_PARAMS = [
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

/**
 * Initialises a new data directory (initdb) in a process of its own, as PGlite would in ours: initdb runs a second
 * PGlite beside the first, copies its heap and tars the result, and the ~0.5 GB that leaves behind is garbage the
 * process may keep (allocator arenas, collections that never come) long after. A process that exits returns it all.
 * It prints its peak RSS (KiB) last, for the log.
 */
const INITIALISE = `
const [dir, params] = process.argv.slice(-2);
const { PGlite } = await import('@electric-sql/pglite');
const pglite = await PGlite.create(dir, { startParams: JSON.parse(params) });
await pglite.close();
process.stdout.write(String(process.resourceUsage().maxRSS));
`;

/** A PGlite on the data directory `dir` (created and initialised when new), opened with the settings above. */
export async function openPgliteDir(dir: string, logger: Logger): Promise<PGlite> {
  for (const flag of WASM_FLAGS) setFlagsFromString(flag);
  if (!existsSync(path.join(dir, 'PG_VERSION'))) {
    const started = Date.now();
    const peakKiB = await initialise(dir);
    logger.info(
      { dataDir: dir, ms: Date.now() - started, helperPeakMiB: Math.round(peakKiB / 1024) },
      'embedded database initialised',
    );
  }
  return PGlite.create(dir, { startParams: START_PARAMS });
}

/** Runs INITIALISE on `dir`; resolves to the helper's peak RSS in KiB. */
async function initialise(dir: string): Promise<number> {
  const child = spawn(
    process.execPath,
    ['--liftoff-only', '--input-type=module', '--eval', INITIALISE, dir, JSON.stringify(START_PARAMS)],
    // Bare imports in --eval code resolve from the working directory: this file's, inside the app's node_modules tree.
    { cwd: path.dirname(fileURLToPath(import.meta.url)), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4_000);
  });
  const exit = await new Promise<number | string>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve(code ?? signal ?? 'unknown'));
  });
  if (exit !== 0) throw new Error(`initialising the embedded database in ${dir} failed (${exit}):\n${stderr.trim()}`);
  return Number(stdout.trim().split('\n').at(-1));
}
