import { type ChildProcess, spawn } from 'node:child_process';
import { eventually } from './eventually.js';

/** Runs src/main.ts as a real process, through tsx, from any working directory. */
export const MAIN = ['--import', import.meta.resolve('tsx'), new URL('../../src/main.ts', import.meta.url).pathname];

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * Tandem as its own operating-system process, the way it runs in production: started from src/main.ts with an
 * environment, killed with real signals. Its JSON log lines are kept for assertions.
 */
export class AppProcess {
  readonly logs: Array<Record<string, unknown>> = [];
  readonly exited: Promise<Exit>;
  private output = '';
  private partialLine = '';
  private port: number | undefined;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    this.exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => this.read(chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      this.output += chunk;
    });
  }

  /** Starts the process and resolves once it says it is up (and on which port). */
  static async start(name: string, env: Record<string, string>, timeoutMs = 30_000): Promise<AppProcess> {
    const child = spawn(process.execPath, MAIN, {
      env: { PATH: process.env.PATH, LOG_LEVEL: 'info', ...env, PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const app = new AppProcess(name, child);
    let exit: Exit | undefined;
    void app.exited.then((e) => {
      exit = e;
    });
    await eventually(
      async () => {
        if (exit) throw new Error(`${name} exited during start (${JSON.stringify(exit)}):\n${app.output}`);
        return app.port !== undefined;
      },
      timeoutMs,
      `${name} to start`,
    );
    return app;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Log lines whose `msg` is `message`. */
  logged(message: string): Array<Record<string, unknown>> {
    return this.logs.filter((line) => line.msg === message);
  }

  kill(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** For clean-up: ends the process whatever state it is in. */
  async dispose(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }

  private read(chunk: string): void {
    this.output += chunk;
    const lines = (this.partialLine + chunk).split('\n');
    this.partialLine = lines.pop() ?? '';
    for (const line of lines) {
      try {
        const entry = JSON.parse(line) as Record<string, unknown>;
        this.logs.push(entry);
        if (entry.msg === 'Tandem is up') this.port = Number(entry.port);
      } catch {
        // not a log line (a stack trace on a crash): it stays in the transcript
      }
    }
  }
}
