/**
 * `npm run bench`: every figure script in turn, each as a process of its own (a fresh Node, nothing left over from
 * the one before); exits non-zero if any failed, after running the rest.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { print } from './lib/report.js';

const SCRIPTS = ['ack.ts', 'ingest.ts', 'latency.ts', 'rss.ts', 'digest.ts', 'hubspot.ts'];

const failed: string[] = [];
for (const script of SCRIPTS) {
  print(`\n=== bench/${script}`);
  const started = performance.now();
  const run = spawnSync(
    process.execPath,
    ['--import', import.meta.resolve('tsx'), fileURLToPath(new URL(script, import.meta.url))],
    { stdio: 'inherit' },
  );
  const seconds = ((performance.now() - started) / 1000).toFixed(0);
  if (run.status === 0) {
    print(`=== bench/${script}: ok in ${seconds} s`);
  } else {
    print(`=== bench/${script}: FAILED (${run.status ?? run.signal}) after ${seconds} s`);
    failed.push(script);
  }
}
if (failed.length > 0) {
  print(`\nfailed: ${failed.join(', ')}`);
  process.exitCode = 1;
}
