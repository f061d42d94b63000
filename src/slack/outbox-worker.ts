import { WebAPIRateLimitedError, type WebClient } from '@slack/web-api';
import type { DatabaseHandle } from '../db/database.js';
import { isDatabaseUnavailable } from '../db/errors.js';
import type { OutboxRow } from '../db/schema.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import { isPermanentFailure, slackErrorCode } from './client.js';
import { OUTBOX_CHANNEL } from './outbox.js';
import { OutboxStore } from './outbox-store.js';
import { holdChannel, type Pace, takePostToken } from './pacing.js';

export interface OutboxWorkerOptions {
  /** Deliveries in flight at once. */
  concurrency?: number;
  /**
   * How long a claim holds a row before another worker may take it: longer than one delivery can last (the
   * delivery client gives up on Slack after 10 s), and how long a crashed replica's rows wait on PostgreSQL.
   */
  leaseMs?: number;
  /** Longest sleep between looks at the table when nothing wakes the worker. */
  pollMs?: number;
  /** Attempts (429s excluded) before a row is given up as failed. */
  maxAttempts?: number;
  /** First retry delay; it doubles with each attempt up to `maxBackoffMs`. */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  /** Pacing of chat.postMessage per channel; off when absent or rate 0. */
  pace?: Pace;
}

interface Deps {
  database: DatabaseHandle;
  slack: WebClient;
  logger: Logger;
  metrics: Metrics;
}

/** A claimed row and the moment (local clock) its lease runs out. */
interface Claim {
  row: OutboxRow;
  leaseEndsAt: number;
}

/** Longest wait between tries while the database is away: recovery should follow its return within seconds. */
const MAX_RECONNECT_DELAY_MS = 5_000;

/**
 * Delivers outbox rows to Slack. Rows are claimed with FOR UPDATE SKIP LOCKED under a lease, so replicas never
 * deliver the same row at once and a crashed worker's rows are picked up when the lease runs out.
 */
export class OutboxWorker {
  private readonly store: OutboxStore;
  private readonly log: Logger;
  private readonly options: Required<OutboxWorkerOptions>;
  private readonly inFlight = new Set<Promise<void>>();
  private wakeUp: (() => void) | undefined;
  private woken = false;
  private running: Promise<void> | undefined;
  private stopping = false;
  private unlisten: (() => Promise<void>) | undefined;

  constructor(
    private readonly deps: Deps,
    options: OutboxWorkerOptions = {},
  ) {
    this.store = new OutboxStore(deps.database.db);
    this.log = deps.logger.child({ component: 'outbox' });
    this.options = {
      concurrency: 8,
      leaseMs: 30_000,
      pollMs: 5_000,
      maxAttempts: 25,
      baseBackoffMs: 1_000,
      maxBackoffMs: 5 * 60_000,
      pace: { rate: 0, burst: 1 },
      ...options,
    };
  }

  async start(): Promise<void> {
    if (this.deps.database.kind === 'pglite') {
      const released = await this.store.releaseAllClaims();
      if (released > 0) this.log.info({ released }, 'took back deliveries a stopped process had claimed');
    }
    this.unlisten = await this.deps.database.listen(OUTBOX_CHANNEL, () => this.wake());
    this.running = this.loop();
  }

  /** Look at the table now rather than at the next poll. */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  /** Stops claiming, lets deliveries in flight finish, and resolves when none is left. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake();
    await this.unlisten?.();
    await this.running;
    await Promise.all(this.inFlight);
  }

  private async loop(): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      this.woken = false;
      const free = this.options.concurrency - this.inFlight.size;
      let claimed: OutboxRow[] = [];
      if (free > 0) {
        try {
          claimed = await this.store.claim(free, this.options.leaseMs);
          failures = 0;
        } catch (err) {
          failures += 1;
          this.log.warn({ err }, 'could not claim outbox rows; database unavailable?');
          await this.sleep(Math.min(MAX_RECONNECT_DELAY_MS, 250 * 2 ** Math.min(failures, 6)));
          continue;
        }
      }
      const leaseEndsAt = Date.now() + this.options.leaseMs;
      for (const row of claimed) this.track(this.deliver({ row, leaseEndsAt }));
      if (claimed.length === free && free > 0) continue; // there may be more waiting
      await this.sleep(free > 0 ? await this.msUntilNextDue() : this.options.pollMs);
    }
  }

  private track(delivery: Promise<void>): void {
    const tracked = delivery
      .catch((err) => this.log.error({ err }, 'outbox delivery crashed'))
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
    try {
      const ms = (await this.store.msUntilNextDue()) ?? this.options.pollMs;
      return Math.max(10, Math.min(this.options.pollMs, ms));
    } catch {
      return this.options.pollMs;
    }
  }

  private async deliver(claim: Claim): Promise<void> {
    const { row } = claim;
    const log = this.log.child({ outboxId: row.id, method: row.method, channel: row.channel });
    const args: Record<string, unknown> = { ...row.payload, channel: row.channel };
    if (row.depends_on) {
      const parent = await this.store.parentOf(row);
      if (!parent || parent.status === 'failed') {
        return this.fail(claim, `the message it depends on (${row.depends_on}) was not delivered`, log);
      }
      if (parent.status !== 'delivered' || !parent.delivered_ts) {
        // Not an attempt of its own: wait for the parent without using up this row's retries.
        return this.store.retryAt(row, 1_000, 'waiting for the message it depends on', false);
      }
      args[row.method === 'chat.update' ? 'ts' : 'thread_ts'] = parent.delivered_ts;
      args.channel = parent.channel; // a thread or an edit lives where the message was posted
    }

    if (row.method === 'chat.postMessage') {
      const waitMs = await takePostToken(this.deps.database.db, String(args.channel), this.options.pace);
      if (waitMs > 0) {
        this.deps.metrics.outboxDeliveries.inc({ result: 'paced' });
        return this.store.retryAt(row, waitMs, 'paced', false);
      }
    }

    let result: Awaited<ReturnType<WebClient['apiCall']>>;
    try {
      result = await this.deps.slack.apiCall(row.method, args);
    } catch (err) {
      return this.settle(claim, () => this.afterFailure(claim, args, err, log));
    }
    const posted = (result as { ts?: unknown }).ts;
    const ts = typeof posted === 'string' ? posted : typeof args.ts === 'string' ? args.ts : null;
    await this.settle(claim, () => this.store.markDelivered(row, ts));
    this.deps.metrics.outboxDeliveries.inc({ result: 'delivered' });
    log.info({ ts, attempts: row.attempts }, 'delivered');
  }

  private async afterFailure(claim: Claim, args: Record<string, unknown>, err: unknown, log: Logger): Promise<void> {
    const { row } = claim;
    const code = slackErrorCode(err);
    if (err instanceof WebAPIRateLimitedError) {
      this.deps.metrics.outboxDeliveries.inc({ result: 'rate_limited' });
      log.warn({ retryAfter: err.retryAfter }, 'rate limited by Slack; waiting as told');
      const holdMs = err.retryAfter * 1000;
      if (row.method === 'chat.postMessage') {
        await holdChannel(this.deps.database.db, String(args.channel), this.options.pace, holdMs);
      }
      await this.store.holdPending(String(args.channel), row.method, holdMs);
      return this.store.retryAt(row, holdMs, code, false);
    }
    if (isPermanentFailure(err)) return this.fail(claim, code, log);
    if (row.attempts >= this.options.maxAttempts) {
      return this.fail(claim, `${code} (gave up after ${row.attempts} attempts)`, log);
    }
    const delay = this.backoff(row.attempts);
    this.deps.metrics.outboxDeliveries.inc({ result: 'retry' });
    log.warn({ err: code, attempts: row.attempts, retryInMs: delay }, 'delivery failed; will retry');
    return this.store.retryAt(row, delay, code, true);
  }

  /**
   * Records what Slack answered. Slack has already acted, so losing the record to a database blip would mean
   * delivering again once the lease ends: keep trying while the lease holds, shutting down or not.
   */
  private async settle(claim: Claim, record: () => Promise<void>): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await record();
      } catch (err) {
        const delay = Math.min(MAX_RECONNECT_DELAY_MS, 250 * 2 ** attempt);
        if (!isDatabaseUnavailable(err) || Date.now() + delay >= claim.leaseEndsAt) throw err;
        this.log.warn({ err, outboxId: claim.row.id, retryInMs: delay }, 'could not record a delivery; retrying');
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  private backoff(attempts: number): number {
    const exp = Math.min(this.options.maxBackoffMs, this.options.baseBackoffMs * 2 ** (attempts - 1));
    return Math.round(exp * (0.8 + Math.random() * 0.4));
  }

  private async fail({ row }: Claim, reason: string, log: Logger): Promise<void> {
    await this.store.markFailed(row, reason);
    this.deps.metrics.outboxDeliveries.inc({ result: 'failed' });
    log.error({ reason, attempts: row.attempts }, 'delivery failed for good; replay it once the cause is fixed');
  }
}
