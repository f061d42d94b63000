import { randomUUID } from 'node:crypto';
import { WebAPIRateLimitedError, type WebClient } from '@slack/web-api';
import { sql } from 'kysely';
import type { DatabaseHandle, Db } from '../db/database.js';
import type { OutboxRow } from '../db/schema.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import { isPermanentFailure, slackErrorCode } from './client.js';
import { OUTBOX_CHANNEL } from './outbox.js';
import { holdChannel, type Pace, takePostToken } from './pacing.js';

export interface OutboxWorkerOptions {
  /** Deliveries in flight at once. */
  concurrency?: number;
  /** How long a claim holds a row before another worker may take it (longer than a Slack call can last). */
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

/**
 * Delivers outbox rows to Slack. Rows are claimed with FOR UPDATE SKIP LOCKED under a lease, so replicas never
 * deliver the same row at once and a crashed worker's rows are picked up when the lease runs out.
 */
export class OutboxWorker {
  private readonly db: Db;
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
    this.db = deps.database.db;
    this.log = deps.logger.child({ component: 'outbox' });
    this.options = {
      concurrency: 8,
      leaseMs: 60_000,
      pollMs: 5_000,
      maxAttempts: 25,
      baseBackoffMs: 1_000,
      maxBackoffMs: 5 * 60_000,
      pace: { rate: 0, burst: 1 },
      ...options,
    };
  }

  async start(): Promise<void> {
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
          claimed = await this.claim(free);
          failures = 0;
        } catch (err) {
          failures += 1;
          this.log.warn({ err }, 'could not claim outbox rows; database unavailable?');
          await this.sleep(Math.min(30_000, 500 * 2 ** Math.min(failures, 6)));
          continue;
        }
      }
      for (const row of claimed) this.track(this.deliver(row));
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
      const next = await this.db
        .selectFrom('outbox')
        .select(sql<number>`extract(epoch from (min(available_at) - now())) * 1000`.as('ms'))
        .where('status', '=', 'pending')
        .executeTakeFirst();
      const ms = next?.ms == null ? this.options.pollMs : Number(next.ms);
      return Math.max(10, Math.min(this.options.pollMs, ms));
    } catch {
      return this.options.pollMs;
    }
  }

  private claim(limit: number): Promise<OutboxRow[]> {
    const token = randomUUID();
    return this.db
      .updateTable('outbox')
      .set({
        claim_token: token,
        claimed_until: sql`now() + make_interval(secs => ${this.options.leaseMs / 1000})`,
        attempts: sql`attempts + 1`,
      })
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('outbox')
          .select('id')
          .where('status', '=', 'pending')
          .where('available_at', '<=', sql<Date>`now()`)
          .where((w) => w.or([w('claimed_until', 'is', null), w('claimed_until', '<', sql<Date>`now()`)]))
          .orderBy('available_at')
          .limit(limit)
          .forUpdate()
          .skipLocked(),
      )
      .returningAll()
      .execute();
  }

  private async deliver(row: OutboxRow): Promise<void> {
    const log = this.log.child({ outboxId: row.id, method: row.method, channel: row.channel });
    const args: Record<string, unknown> = { ...row.payload, channel: row.channel };
    if (row.depends_on) {
      const parent = await this.db
        .selectFrom('outbox')
        .select(['status', 'delivered_ts', 'channel'])
        .where('id', '=', row.depends_on)
        .executeTakeFirst();
      if (!parent || parent.status === 'failed') {
        return this.fail(row, `the message it depends on (${row.depends_on}) was not delivered`, log);
      }
      if (parent.status !== 'delivered' || !parent.delivered_ts) {
        // Not an attempt of its own: wait for the parent without using up this row's retries.
        return this.retryAt(row, 1_000, 'waiting for the message it depends on', false);
      }
      args[row.method === 'chat.update' ? 'ts' : 'thread_ts'] = parent.delivered_ts;
      args.channel = parent.channel; // a thread or an edit lives where the message was posted
    }

    if (row.method === 'chat.postMessage') {
      const waitMs = await takePostToken(this.db, String(args.channel), this.options.pace);
      if (waitMs > 0) {
        this.deps.metrics.outboxDeliveries.inc({ result: 'paced' });
        return this.retryAt(row, waitMs, 'paced', false);
      }
    }

    try {
      const result = await this.deps.slack.apiCall(row.method, args);
      const posted = (result as { ts?: unknown }).ts;
      const ts = typeof posted === 'string' ? posted : typeof args.ts === 'string' ? args.ts : null;
      await this.db
        .updateTable('outbox')
        .set({ status: 'delivered', delivered_ts: ts, delivered_at: sql`now()`, claim_token: null, last_error: null })
        .where('id', '=', row.id)
        .where('claim_token', '=', row.claim_token)
        .execute();
      // Replies and updates waiting for this message's ts can go now rather than at their next look.
      await this.db
        .updateTable('outbox')
        .set({ available_at: sql`now()` })
        .where('depends_on', '=', row.id)
        .where('status', '=', 'pending')
        .where('claim_token', 'is', null)
        .execute();
      this.deps.metrics.outboxDeliveries.inc({ result: 'delivered' });
      log.info({ ts, attempts: row.attempts }, 'delivered');
    } catch (err) {
      const code = slackErrorCode(err);
      if (err instanceof WebAPIRateLimitedError) {
        this.deps.metrics.outboxDeliveries.inc({ result: 'rate_limited' });
        log.warn({ retryAfter: err.retryAfter }, 'rate limited by Slack; waiting as told');
        if (row.method === 'chat.postMessage') {
          await holdChannel(this.db, String(args.channel), this.options.pace, err.retryAfter * 1000);
        }
        await this.holdPending(String(args.channel), row.method, err.retryAfter * 1000);
        return this.retryAt(row, err.retryAfter * 1000, code, false);
      }
      if (isPermanentFailure(err)) return this.fail(row, code, log);
      if (row.attempts >= this.options.maxAttempts)
        return this.fail(row, `${code} (gave up after ${row.attempts} attempts)`, log);
      const delay = this.backoff(row.attempts);
      this.deps.metrics.outboxDeliveries.inc({ result: 'retry' });
      log.warn({ err: code, attempts: row.attempts, retryInMs: delay }, 'delivery failed; will retry');
      return this.retryAt(row, delay, code, true);
    }
  }

  /** After a 429, what else waits for the same channel and method waits as long; other channels carry on. */
  private async holdPending(channel: string, method: string, delayMs: number): Promise<void> {
    await this.db
      .updateTable('outbox')
      .set({ available_at: sql`greatest(available_at, now() + make_interval(secs => ${delayMs / 1000}))` })
      .where('status', '=', 'pending')
      .where('channel', '=', channel)
      .where('method', '=', method)
      .where('claim_token', 'is', null)
      .execute();
  }

  private backoff(attempts: number): number {
    const exp = Math.min(this.options.maxBackoffMs, this.options.baseBackoffMs * 2 ** (attempts - 1));
    return Math.round(exp * (0.8 + Math.random() * 0.4));
  }

  private async retryAt(row: OutboxRow, delayMs: number, reason: string, countsAsAttempt: boolean): Promise<void> {
    await this.db
      .updateTable('outbox')
      .set({
        available_at: sql`now() + make_interval(secs => ${delayMs / 1000})`,
        claim_token: null,
        claimed_until: null,
        last_error: reason,
        attempts: countsAsAttempt ? row.attempts : row.attempts - 1,
      })
      .where('id', '=', row.id)
      .where('claim_token', '=', row.claim_token)
      .execute();
  }

  private async fail(row: OutboxRow, reason: string, log: Logger): Promise<void> {
    await this.db
      .updateTable('outbox')
      .set({ status: 'failed', last_error: reason, claim_token: null, claimed_until: null })
      .where('id', '=', row.id)
      .where('claim_token', '=', row.claim_token)
      .execute();
    this.deps.metrics.outboxDeliveries.inc({ result: 'failed' });
    log.error({ reason, attempts: row.attempts }, 'delivery failed for good; replay it once the cause is fixed');
  }
}
