/**
 * An app as its own operating-system process, the way it runs in production, for the fault tests and the benchmarks
 * alike (so its CPU, memory and event loop are its own and not the test's or the load generator's): started from a
 * script with an environment of its own, ready once it answers HTTP, stopped or killed with real signals. Its JSON
 * log lines are kept for assertions. No vitest here: bench/ imports it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from './free-port.js';

const TSX = ['--import', import.meta.resolve('tsx')];
/** Tandem's entry point, run through tsx from any working directory. */
export const TANDEM_MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
/** Node arguments that run Tandem's src/main.ts, for a test that spawns it itself (to watch it refuse to start). */
export const MAIN = [...TSX, TANDEM_MAIN];

const TAIL_LINES = 40;

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface StartOptions {
  name: string;
  /**
   * The whole environment of the child besides PATH and HOME (PORT is set to a free port): nothing leaks in from the
   * shell running the tests or the bench.
   */
  env: Record<string, string>;
  /** What to run (default Tandem's src/main.ts): TypeScript through tsx, compiled JavaScript as it is. */
  script?: string;
  /** Its working directory (default this process's); a temp dir keeps a developer's .env out (main.ts loads ./.env). */
  cwd?: string;
  /** Extra node flags, e.g. --cpu-prof. */
  nodeArgs?: string[];
  /** How long start-up may take (PGlite initialising a data dir takes seconds). */
  timeoutMs?: number;
  /** Called as soon as the process exists, before it is ready: to register its clean-up. */
  onSpawn?: (app: AppProcess) => void;
}

export class AppProcess {
  /** Every JSON line the process wrote to stdout, parsed. */
  readonly logs: Array<Record<string, unknown>> = [];
  readonly exited: Promise<Exit>;
  private readonly lines: string[] = [];
  private readonly partial = { stdout: '', stderr: '' };

  private constructor(
    readonly name: string,
    readonly port: number,
    private readonly child: ChildProcess,
  ) {
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => this.read('stdout', chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => this.read('stderr', chunk));
  }

  /**
   * Spawns the script with PORT set to a free port and resolves once it answers HTTP there. Readiness is "answers any
   * HTTP request" rather than a log line, so an app can run at LOG_LEVEL=warn (Tandem listens only once its
   * database, migrations and workers are up). A process that exits or does not answer in time is killed, and the
   * error carries the last lines it wrote.
   */
  static async start(options: StartOptions): Promise<AppProcess> {
    const port = await freePort();
    const script = options.script ?? TANDEM_MAIN;
    const loader = script.endsWith('.ts') ? TSX : [];
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), ...loader, script], {
      cwd: options.cwd,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...options.env, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const app = new AppProcess(options.name, port, child);
    options.onSpawn?.(app);
    try {
      await app.waitUntilServing(options.timeoutMs ?? 30_000);
    } catch (err) {
      await app.dispose();
      throw err;
    }
    return app;
  }

  /** `http://127.0.0.1:<port>` */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** Log lines whose `msg` is `message`. */
  logged(message: string): Array<Record<string, unknown>> {
    return this.logs.filter((line) => line.msg === message);
  }

  /** The last lines the process wrote (stdout and stderr), for diagnosing a failure. */
  tail(): string {
    return [...this.lines, this.partial.stdout, this.partial.stderr].filter(Boolean).join('\n');
  }

  kill(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`; resolves with how it exited. */
  async stop(graceMs = 15_000): Promise<Exit> {
    if (this.hasExited()) return this.exited;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  /** For clean-up: ends the process at once whatever state it is in. */
  async dispose(): Promise<void> {
    if (this.hasExited()) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }

  private hasExited(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null;
  }

  private async waitUntilServing(timeoutMs: number): Promise<void> {
    let exit: Exit | undefined;
    void this.exited.then((e) => {
      exit = e;
    });
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (exit) throw new Error(`${this.name} exited during start-up (${JSON.stringify(exit)}):\n${this.tail()}`);
      try {
        await fetch(`${this.url}/healthz`, { signal: AbortSignal.timeout(1_000) });
        return;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    throw new Error(`${this.name} did not answer within ${timeoutMs} ms:\n${this.tail()}`);
  }

  private read(stream: 'stdout' | 'stderr', chunk: string): void {
    const lines = (this.partial[stream] + chunk).split('\n');
    this.partial[stream] = lines.pop() ?? '';
    for (const line of lines) {
      if (!line) continue;
      this.lines.push(line);
      if (this.lines.length > TAIL_LINES) this.lines.shift();
      if (stream !== 'stdout') continue;
      try {
        this.logs.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // not a log line (a stack trace on a crash): it stays in the tail
      }
    }
  }
}
