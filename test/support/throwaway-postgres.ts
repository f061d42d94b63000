import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from './free-port.js';

const POSTGRES_USER = 'postgres';

function which(command: string): string | undefined {
  try {
    return execFileSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * True where a cluster of our own can run: initdb refuses root, so it runs as the `postgres` user through runuser,
 * which needs root. (CI and the development machines are such places; elsewhere the tests that need one skip.)
 */
export function canRunThrowawayPostgres(): boolean {
  return process.getuid?.() === 0 && !!which('runuser') && !!which('initdb') && !!which('pg_ctl');
}

/**
 * A PostgreSQL cluster that one test owns: created in a temporary directory, on a free port, with its socket in
 * that directory, so the test can stop and start the server under a running app without touching anyone else's.
 */
export class ThrowawayPostgres {
  private constructor(
    private readonly dir: string,
    readonly port: number,
  ) {}

  static async create(): Promise<ThrowawayPostgres> {
    const dir = mkdtempSync(path.join(tmpdir(), 'tandem-pg-'));
    const owner = Number(execFileSync('id', ['-u', POSTGRES_USER], { encoding: 'utf8' }).trim());
    chownSync(dir, owner, -1);
    const cluster = new ThrowawayPostgres(dir, await freePort());
    cluster.asPostgres('initdb', ['-D', cluster.dataDir, '-A', 'trust', '-U', POSTGRES_USER, '--no-sync']);
    cluster.start();
    return cluster;
  }

  get url(): string {
    return `postgres://${POSTGRES_USER}@127.0.0.1:${this.port}/postgres`;
  }

  start(): void {
    const options = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
    const log = path.join(this.dir, 'server.log');
    this.asPostgres('pg_ctl', ['-D', this.dataDir, '-o', options, '-l', log, '-w', 'start']);
  }

  /** `immediate` is a crash as far as clients can tell: connections drop without a goodbye. */
  stop(mode: 'fast' | 'immediate' = 'immediate'): void {
    this.asPostgres('pg_ctl', ['-D', this.dataDir, '-m', mode, '-w', 'stop']);
  }

  destroy(): void {
    if (existsSync(path.join(this.dataDir, 'postmaster.pid'))) this.stop('immediate');
    rmSync(this.dir, { recursive: true, force: true });
  }

  private get dataDir(): string {
    return path.join(this.dir, 'data');
  }

  private asPostgres(command: string, args: string[]): void {
    execFileSync('runuser', ['-u', POSTGRES_USER, '--', command, ...args], { stdio: 'pipe', cwd: this.dir });
  }
}
