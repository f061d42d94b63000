import { WebAPIRateLimitedError, type WebClient } from '@slack/web-api';
import { backoffMs, ClaimLoop, type LeasedWorkerOptions, MAX_RECONNECT_DELAY_MS } from '../db/claim-loop.js';
import type { DatabaseHandle } from '../db/database.js';
import { isDatabaseUnavailable } from '../db/errors.js';
import type { OutboxRow } from '../db/schema.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import { isPermanentFailure, slackErrorCode } from './client.js';

import { uploadFile } from './files.js';

import { OutboxStore } from './outbox-store.js';
import { holdChannel, type Pace, takePostToken } from './pacing.js';

export interface OutboxWorkerOptions extends LeasedWorkerOptions {
  /** Pacing of chat.postMessage per channel; off when absent or rate 0. */
  pace?: Pace;
}

interface Deps {
  database: DatabaseHandle;
  slack: WebClient;
  logger: Logger;
  metrics: Metrics;
}

const OUTBOX_DEFAULTS: Required<OutboxWorkerOptions> = {
  concurrency: 8,
  leaseMs: 30_000,
  pollMs: 5_000,
  maxAttempts: 25,
  baseBackoffMs: 1_000,
  maxBackoffMs: 5 * 60_000,
  pace: { rate: 0, burst: 1 },
};

/** A claimed row and the moment (local clock) its lease runs out. */
interface Claim {
  row: OutboxRow;
  leaseEndsAt: number;
}

/**
 * Delivers outbox rows to Slack. Rows are claimed with FOR UPDATE SKIP LOCKED under a lease, so replicas never
 * deliver the same row at once and a crashed worker's rows are picked up when the lease runs out.
 */
export class OutboxWorker extends ClaimLoop<OutboxRow> {
  private readonly store: OutboxStore;
  private readonly options: Required<OutboxWorkerOptions>;

  constructor(
    private readonly deps: Deps,
    options: OutboxWorkerOptions = {},
  ) {
    const settings = { ...OUTBOX_DEFAULTS, ...options };
    const store = new OutboxStore(deps.database.db);
    super(deps.database, store, settings, deps.logger.child({ component: 'outbox' }), 'deliveries');
    this.store = store;
    this.options = settings;
  }

  protected handle(row: OutboxRow, leaseEndsAt: number): Promise<void> {
    return this.deliver({ row, leaseEndsAt });
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
      result =
        row.method === 'files.upload' ? await this.upload(args) : await this.deps.slack.apiCall(row.method, args);
    } catch (err) {
      return this.settle(claim, () => this.afterFailure(claim, args, err, log));
    }
    const posted = (result as { ts?: unknown }).ts;
    const ts = typeof posted === 'string' ? posted : typeof args.ts === 'string' ? args.ts : null;
    await this.settle(claim, () => this.store.markDelivered(row, ts));
    this.deps.metrics.outboxDeliveries.inc({ result: 'delivered' });
    log.info({ ts, attempts: row.attempts }, 'delivered');
  }

  /** A file upload's three calls; the file's id is kept where a message's ts would be. */
  private async upload(args: Record<string, unknown>): Promise<{ ok: true; ts: string }> {
    const fileId = await uploadFile(this.deps.slack, {
      bytes: Buffer.from(String(args.content_base64 ?? ''), 'base64'),
      filename: String(args.filename ?? 'file'),
      title: String(args.title ?? args.filename ?? 'file'),
      altText: String(args.alt_text ?? ''),
      channelId: String(args.channel),
      threadTs: typeof args.thread_ts === 'string' ? args.thread_ts : undefined,
    });
    return { ok: true, ts: fileId };
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
    const delay = backoffMs(row.attempts, this.options.baseBackoffMs, this.options.maxBackoffMs);
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

  private async fail({ row }: Claim, reason: string, log: Logger): Promise<void> {
    await this.store.markFailed(row, reason);
    this.deps.metrics.outboxDeliveries.inc({ result: 'failed' });
    log.error({ reason, attempts: row.attempts }, 'delivery failed for good; replay it once the cause is fixed');
  }
}
