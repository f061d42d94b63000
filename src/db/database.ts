import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { Kysely, PGliteDialect, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Logger } from '../logger.js';
import { PreparingClient } from './prepared.js';
import type { Database } from './schema.js';

export type Db = Kysely<Database>;

export interface DatabaseHandle {
  readonly db: Db;
  readonly kind: 'postgres' | 'pglite';
  /** Calls `onNotify` for every NOTIFY on `channel`, reconnecting as needed; resolves to an unsubscribe. */
  listen(channel: string, onNotify: () => void): Promise<() => Promise<void>>;
  /** True when the database answers `select 1` within the timeout. */
  ping(timeoutMs?: number): Promise<boolean>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  url: string | undefined;
  dataDir: string;
  logger: Logger;
  /** Connections in the pg pool (real PostgreSQL only). */
  poolSize?: number;
}

// int8 (count(*), sums) and numeric come back as strings from pg but as numbers from PGlite;
// parse them here, per pool, so queries see the same types on both databases.
const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === pg.types.builtins.INT8) return (v: string) => Number.parseInt(v, 10);
    return pg.types.getTypeParser(oid, format);
  },
};

export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  return options.url ? openPostgres(options.url, options) : openPglite(options.dataDir, options.logger);
}

async function ping(db: Db, timeoutMs = 1_000): Promise<boolean> {
  try {
    await withTimeout(sql`select 1`.execute(db), timeoutMs);
    return true;
  } catch {
    return false;
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function openPostgres(url: string, { logger, poolSize = 10 }: DatabaseOptions): Promise<DatabaseHandle> {
  const log = logger.child({ component: 'db' });
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    types: pgTypes,
    application_name: 'tandem',
    Client: PreparingClient,
  });
  // Without this an idle client's error (the server restarting) is an unhandled 'error' event and kills the process.
  pool.on('error', (err) => log.warn({ err }, 'idle database connection failed'));
  // A checked-out client emits 'error' too when the server goes away mid-query, and the pool does not listen for
  // it then: without a listener the process dies (seen with a database stopped under a running app). The query
  // itself is rejected and reported by whoever made it.
  pool.on('connect', (client) => {
    client.on('error', (err) => log.debug({ err }, 'database connection failed while in use'));
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const listeners = new Set<pg.Client>();
  let closed = false;

  return {
    db,
    kind: 'postgres',
    async listen(channel, onNotify) {
      let client: pg.Client | undefined;
      let stopped = false;
      let retryTimer: NodeJS.Timeout | undefined;
      const connect = async (attempt: number): Promise<void> => {
        if (stopped || closed) return;
        const next = new pg.Client({ connectionString: url, types: pgTypes, application_name: 'tandem-listen' });
        const reconnect = (err?: Error) => {
          listeners.delete(next);
          if (client === next) client = undefined;
          next.removeAllListeners();
          next.on('error', () => {});
          next.end().catch(() => {});
          if (stopped || closed) return;
          if (err) log.warn({ err, channel }, 'LISTEN connection lost; reconnecting');
          // Capped at 5 s: recovery should follow the database's return within seconds, and a refused connect is cheap.
          retryTimer = setTimeout(() => void connect(attempt + 1), Math.min(5_000, 250 * 2 ** Math.min(attempt, 6)));
        };
        next.on('error', reconnect);
        next.on('end', () => reconnect());
        next.on('notification', () => onNotify());
        try {
          await next.connect();
          await next.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
          client = next;
          listeners.add(next);
          // Anything sent while we were disconnected was missed: let the listener catch up.
          if (attempt > 0) onNotify();
          attempt = 0;
        } catch (err) {
          reconnect(err as Error);
        }
      };
      await connect(0);
      return async () => {
        stopped = true;
        clearTimeout(retryTimer);
        if (client) {
          listeners.delete(client);
          client.removeAllListeners();
          client.on('error', () => {});
          await client.end().catch(() => {});
        }
      };
    },
    ping: (timeoutMs) => ping(db, timeoutMs),
    async close() {
      if (closed) return;
      closed = true;
      for (const client of listeners) await client.end().catch(() => {});
      await db.destroy();
    },
  };
}

async function openPglite(dataDir: string, logger: Logger): Promise<DatabaseHandle> {
  const dir = path.resolve(dataDir);
  mkdirSync(dir, { recursive: true });
  const releaseLock = lockDataDir(dir);
  const log = logger.child({ component: 'db' });
  const started = Date.now();
  let pglite: PGlite;
  try {
    // Loaded only when it is the database: on PostgreSQL its module would only weigh on the heap (and its GC).
    const { openPgliteDir } = await import('./pglite.js');
    pglite = await openPgliteDir(path.join(dir, 'pglite'), log);
  } catch (err) {
    releaseLock();
    throw err;
  }
  log.info({ dataDir: dir, ms: Date.now() - started }, 'embedded database opened');
  const db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite }) });
  let closed = false;
  return {
    db,
    kind: 'pglite',
    async listen(channel, onNotify) {
      const unlisten = await pglite.listen(channel, () => onNotify());
      return async () => {
        if (!closed) await unlisten();
      };
    },
    ping: (timeoutMs) => ping(db, timeoutMs),
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy(); // closes PGlite, flushing it to disk
      releaseLock();
    },
  };
}

/**
 * PGlite is a single-process database: a second process opening the same directory would corrupt it.
 * A pid file refuses that with a clear message (a stale file from a killed process is taken over).
 */
function lockDataDir(dir: string): () => void {
  const lockFile = path.join(dir, 'tandem.pid');
  try {
    const pid = Number.parseInt(readFileSync(lockFile, 'utf8'), 10);
    if (pid && pid !== process.pid && isAlive(pid)) {
      throw new Error(
        `DATA_DIR ${dir} is in use by process ${pid}; the embedded database serves one process. ` +
          'Stop that process, or set DATABASE_URL to run several replicas on PostgreSQL.',
      );
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  writeFileSync(lockFile, String(process.pid));
  return () => rmSync(lockFile, { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
