/**
 * The apps under test run as child processes, as they do in production, so that their CPU, memory and event loop
 * are their own and not the load generator's: Tandem and the baseline Bolt app, started by the launcher the fault
 * tests use (test/support/app-process.ts), each stopped by the bench's Cleanup.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AppProcess, type StartOptions } from '../../test/support/app-process.js';
import type { Cleanup } from './cleanup.js';

export const BASELINE_BOLT_APP = fileURLToPath(new URL('../baseline/bolt-app.ts', import.meta.url));
export const BASELINE_INGEST_SERVER = fileURLToPath(new URL('../baseline/ingest-server.ts', import.meta.url));

/**
 * Starts an app (see AppProcess.start; a minute to start by default) whose stop is registered with `cleanup` as soon
 * as it is spawned, so that an interrupted start-up does not leave it running.
 */
export function startApp(cleanup: Cleanup, options: Omit<StartOptions, 'onSpawn'>): Promise<AppProcess> {
  return AppProcess.start({
    timeoutMs: 60_000,
    ...options,
    onSpawn: (app) => cleanup.add(`stop ${options.name}`, () => app.stop()),
  });
}

/** Node flags that write a CPU profile of the app to BENCH_CPU_PROF (a directory) when it exits, when that is set. */
export function profilingFlags(): string[] {
  const dir = process.env.BENCH_CPU_PROF;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
}

/** Resident memory of a process now and at its peak, in MiB, from /proc/<pid>/status (Linux). */
export function memoryOf(pid: number): { rssMiB: number; peakMiB: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    if (!match?.[1]) throw new Error(`no ${field} in /proc/${pid}/status`);
    return Number(match[1]);
  };
  return { rssMiB: kib('VmRSS') / 1024, peakMiB: kib('VmHWM') / 1024 };
}
