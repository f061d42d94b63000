/**
 * The apps under test run as child processes, as they do in production, so that their CPU, memory and event loop
 * are their own and not the load generator's: Tandem (`node --import tsx src/main.ts`) and the baseline Bolt app.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Cleanup } from './cleanup.js';

const TSX = ['--import', import.meta.resolve('tsx')];
export const TANDEM_MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
export const BASELINE_BOLT_APP = fileURLToPath(new URL('../baseline/bolt-app.ts', import.meta.url));

const TAIL_LINES = 40;

export interface AppProcess {
  name: string;
  pid: number;
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** The last lines the process wrote (stdout and stderr), for diagnosing a failure. */
  tail(): string;
  /** SIGTERM, then SIGKILL if it has not exited within the grace period; resolves with the exit code. */
  stop(): Promise<number | null>;
}

export interface StartOptions {
  name: string;
  script: string;
  /** The whole environment of the child besides PATH and HOME: nothing leaks in from the shell running the bench. */
  env: Record<string, string>;
  /** Its working directory; a temp dir keeps a developer's .env out of the child (main.ts loads ./.env). */
  cwd: string;
  /** Extra node flags, e.g. --cpu-prof. */
  nodeArgs?: string[];
  /** How long start-up may take (PGlite initialising a data dir takes seconds). */
  timeoutMs?: number;
}

/** A port that was free a moment ago: the child is told it, so that the bench knows where to send requests. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/**
 * Spawns `script` with PORT set to a free port and resolves once it answers HTTP there. Readiness is "answers any
 * HTTP request" rather than a log line, so the apps can run at LOG_LEVEL=warn (Tandem listens only once its
 * database, migrations and workers are up).
 */
export async function startApp(cleanup: Cleanup, options: StartOptions): Promise<AppProcess> {
  const port = await freePort();
  const loader = options.script.endsWith('.ts') ? TSX : []; // compiled JavaScript runs as it is
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), ...loader, options.script], {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...options.env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (lines.length > TAIL_LINES) lines.splice(0, lines.length - TAIL_LINES);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const app: AppProcess = {
    name: options.name,
    pid: child.pid ?? -1,
    url: `http://127.0.0.1:${port}`,
    tail: () => lines.join('\n'),
    stop: () => stopChild(child, exited),
  };
  cleanup.add(`stop ${options.name}`, () => app.stop());
  await waitUntilServing(app, exited, options.timeoutMs ?? 60_000);
  return app;
}

async function stopChild(child: ChildProcess, exited: Promise<number | null>): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  try {
    return await exited;
  } finally {
    clearTimeout(timer);
  }
}

async function waitUntilServing(app: AppProcess, exited: Promise<number | null>, timeoutMs: number): Promise<void> {
  let exitCode: number | null | undefined;
  void exited.then((code) => {
    exitCode = code;
  });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exitCode !== undefined) throw new Error(`${app.name} exited (${exitCode}) during start-up:\n${app.tail()}`);
    try {
      await fetch(`${app.url}/healthz`, { signal: AbortSignal.timeout(1_000) });
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`${app.name} did not answer within ${timeoutMs} ms:\n${app.tail()}`);
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
