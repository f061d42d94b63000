/**
 * The apps under test run as child processes, as they do in production, so that their CPU, memory and event loop
 * are their own and not the load generator's: Tandem and the baseline Bolt app, started by the launcher the fault
 * tests use (test/support/app-process.ts), each stopped by the bench's Cleanup.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AppProcess, type StartOptions } from '../../test/support/app-process.js';
import { freePort } from '../../test/support/free-port.js';
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

export interface ReadyRun {
  name: string;
  command: string;
  args: string[];
  cwd: string;
  /** The whole environment besides PATH and HOME; PORT is set to a free port. */
  env: Record<string, string>;
}

/**
 * Seconds from spawning `command` until GET /readyz answers 200. It runs as a process group of its own, so that
 * `npm start`'s shell and node are stopped with it (SIGTERM, then SIGKILL after 15 s) before this resolves: the next
 * start then finds the data directory unlocked.
 */
export async function secondsToReady(cleanup: Cleanup, run: ReadyRun, timeoutMs = 120_000): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(run.command, run.args, {
    cwd: run.cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...run.env, PORT: String(port) },
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const stop = () => stopGroup(child);
  cleanup.add(`stop ${run.name}`, stop);
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4_000);
  });
  try {
    while (!(await answersReady(port))) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${run.name} exited:\n${stderr}`);
      if (performance.now() - started > timeoutMs) throw new Error(`${run.name} not ready in ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return (performance.now() - started) / 1000;
  } finally {
    await stop();
  }
}

async function answersReady(port: number): Promise<boolean> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(1_000) });
    await res.arrayBuffer();
    return res.status === 200;
  } catch {
    return false;
  }
}

/** SIGTERM to the child's process group, SIGKILL after 15 s; resolves once no process of the group is left. */
async function stopGroup(child: ChildProcess): Promise<void> {
  const group = -(child.pid ?? 0);
  if (!group) return;
  const signal = (name: NodeJS.Signals | 0) => {
    try {
      process.kill(group, name);
      return true;
    } catch {
      return false; // ESRCH: the group is gone
    }
  };
  const deadline = Date.now() + 15_000;
  if (!signal('SIGTERM')) return;
  while (signal(0)) {
    if (Date.now() > deadline) signal('SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
