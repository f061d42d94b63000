import type { Logger } from '../logger.js';
import type { DatabaseHandle } from './database.js';
import type { LeasedRow, LeasedRows } from './leased-rows.js';

/** What every worker on a leased table may be tuned by (tests shorten the times). */
export interface LeasedWorkerOptions {
  /** Rows worked on at once. */
  concurrency?: number;
  /**
   * How long a claim holds a row before another worker may take it: longer than one row's work can last, and how
   * long a crashed replica's rows wait on PostgreSQL.
   */
  leaseMs?: number;
  /** Longest sleep between looks at the table when nothing wakes the worker. */
  pollMs?: number;
  /** Attempts (429s excluded) before a row is given up as failed. */
  maxAttempts?: number;
  /** First retry delay; it doubles with each attempt up to `maxBackoffMs`. */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
}

export interface ClaimLoopOptions {
  /** Rows worked on at once. */
  concurrency: number;
  /** How long a claim holds a row before another worker may take it: longer than one row's work can last. */
  leaseMs: number;
  /** Longest sleep between looks at the table when nothing wakes the loop. */
  pollMs: number;
}

/** Longest wait between tries while the database is away: recovery should follow its return within seconds. */
export const MAX_RECONNECT_DELAY_MS = 5_000;

/** A retry delay that doubles with each attempt up to `maxMs`, with ±20 % jitter so replicas do not retry in step. */
export function backoffMs(attempts: number, baseMs: number, maxMs: number): number {
  const exp = Math.min(maxMs, baseMs * 2 ** (attempts - 1));
  return Math.round(exp * (0.8 + Math.random() * 0.4));
}

/**
 * The worker loop the outbox and the connector inbox share: claims due rows (FOR UPDATE SKIP LOCKED under a
 * lease, so replicas never work on one row at once and a crashed worker's rows are taken up when the lease runs
 * out), works on up to `concurrency` at a time, and sleeps until the next row is due, a NOTIFY on the table's
 * channel, or a row finishing, whichever comes first. While the database is away it backs off and tries again.
 * A worker says what to do with one row (`handle`), and may narrow what it claims (`claim`).
 */
export abstract class ClaimLoop<Row extends LeasedRow> {
  private readonly inFlight = new Set<Promise<void>>();
  private wakeUp: (() => void) | undefined;
  private woken = false;
  private running: Promise<void> | undefined;
  private stopping = false;
  private unlisten: (() => Promise<void>) | undefined;

  /** `what` names the rows in the log: "deliveries", "CRM events". */
  constructor(
    protected readonly database: DatabaseHandle,
    protected readonly rows: LeasedRows<Row>,
    private readonly loopOptions: ClaimLoopOptions,
    protected readonly log: Logger,
    private readonly what: string,
  ) {}

  /** The work on one claimed row; `leaseEndsAt` (local clock) is when another worker may take it. */
  protected abstract handle(row: Row, leaseEndsAt: number): Promise<void>;

  protected claim(limit: number, leaseMs: number): Promise<Row[]> {
    return this.rows.claim(limit, leaseMs);
  }

  async start(): Promise<void> {
    if (this.database.kind === 'pglite') {
      const released = await this.rows.releaseAllClaims();
      if (released > 0) this.log.info({ released }, `took back ${this.what} a stopped process had claimed`);
    }
    this.unlisten = await this.database.listen(this.rows.channel, () => this.wake());
    this.running = this.loop();
  }

  /** Look at the table now rather than at the next poll. */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  /** Stops claiming, lets work in flight finish, and resolves when none is left. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake();
    await this.unlisten?.();
    await this.running;
    await Promise.all(this.inFlight);
  }

  private async loop(): Promise<void> {
    const { concurrency, leaseMs, pollMs } = this.loopOptions;
    let failures = 0;
    while (!this.stopping) {
      this.woken = false;
      const free = concurrency - this.inFlight.size;
      let claimed: Row[] = [];
      if (free > 0) {
        try {
          claimed = await this.claim(free, leaseMs);
          failures = 0;
        } catch (err) {
          failures += 1;
          this.log.warn({ err }, `could not claim ${this.what}; database unavailable?`);
          await this.sleep(Math.min(MAX_RECONNECT_DELAY_MS, 250 * 2 ** Math.min(failures, 6)));
          continue;
        }
      }
      const leaseEndsAt = Date.now() + leaseMs;
      for (const row of claimed) this.track(this.handle(row, leaseEndsAt));
      if (claimed.length === free && free > 0) continue; // there may be more waiting
      await this.sleep(free > 0 ? await this.msUntilNextDue() : pollMs);
    }
  }

  private track(work: Promise<void>): void {
    const tracked = work
      .catch((err) => this.log.error({ err }, `work on ${this.what} crashed`))
      .finally(() => {
        this.inFlight.delete(tracked);
        this.wake();
      });
    this.inFlight.add(tracked);
  }

  private sleep(ms: number): Promise<void> {
    if (this.woken || this.stopping) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = done;
    }).finally(() => {
      this.wakeUp = undefined;
    });
  }

  private async msUntilNextDue(): Promise<number> {
    const { pollMs } = this.loopOptions;
    try {
      const ms = (await this.rows.msUntilNextDue()) ?? pollMs;
      return Math.max(10, Math.min(pollMs, ms));
    } catch {
      return pollMs;
    }
  }
}
