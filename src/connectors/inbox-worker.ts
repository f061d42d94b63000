import type { DatabaseHandle, Db } from '../db/database.js';
import { isDatabaseUnavailable } from '../db/errors.js';
import type { ConnectorEventRow } from '../db/schema.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import { INBOX_CHANNEL, InboxStore, LostClaim } from './inbox.js';

/** What processing an event came to: an outcome for the record and, when there is one, the domain step. */
export interface Processed {
  outcome: string;
  /** Runs in the transaction that marks the event done; may return a more precise outcome. */
  apply?: (trx: Db) => Promise<string | undefined>;
}

/** One CRM's processing: fetch the object now, translate it, and say what to apply. */
export type ConnectorHandler = (row: ConnectorEventRow, log: Logger) => Promise<Processed>;

/** The CRM asked us to wait (HTTP 429): not a failure, and not an attempt. */
export class RetryLater extends Error {
  constructor(
    readonly retryAfterMs: number,
    message: string,
  ) {
    super(message);
  }
}

/** Retrying cannot help (bad credentials, data the domain refuses): kept as failed, replayable from the CLI. */
export class PermanentFailure extends Error {}

export interface InboxWorkerOptions {
  concurrency?: number;
  /** Longer than one event can take (API reads time out after 10 s each). */
  leaseMs?: number;
  pollMs?: number;
  maxAttempts?: number;
  baseBackoffMs?: number;
  maxBackoffMs?: number;
}

interface Deps {
  database: DatabaseHandle;
  logger: Logger;
  metrics: Metrics;
}

const MAX_RECONNECT_DELAY_MS = 5_000;

/**
 * Processes stored CRM events, as the outbox worker delivers Slack posts: claims under a lease with SKIP LOCKED
 * (each event once across replicas), woken by NOTIFY, backoff on failure, Retry-After on 429, failures kept.
 */
export class InboxWorker {
  private readonly store: InboxStore;
  private readonly log: Logger;
  private readonly options: Required<InboxWorkerOptions>;
  private readonly inFlight = new Set<Promise<void>>();
  private wakeUp: (() => void) | undefined;
  private woken = false;
  private running: Promise<void> | undefined;
  private stopping = false;
  private unlisten: (() => Promise<void>) | undefined;

  constructor(
    private readonly deps: Deps,
    private readonly handlers: ReadonlyMap<string, ConnectorHandler>,
    options: InboxWorkerOptions = {},
  ) {
    this.store = new InboxStore(deps.database.db);
    this.log = deps.logger.child({ component: 'connector-inbox' });
    this.options = {
      concurrency: 4,
      leaseMs: 60_000,
      pollMs: 5_000,
      maxAttempts: 12,
      baseBackoffMs: 2_000,
      maxBackoffMs: 10 * 60_000,
      ...options,
    };
  }

  async start(): Promise<void> {
    if (this.deps.database.kind === 'pglite') {
      const released = await this.store.releaseAllClaims();
      if (released > 0) this.log.info({ released }, 'took back CRM events a stopped process had claimed');
    }
    this.unlisten = await this.deps.database.listen(INBOX_CHANNEL, () => this.wake());
    this.running = this.loop();
  }

  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  /** Stops claiming, lets events in flight finish, and resolves when none is left. */
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
      let claimed: ConnectorEventRow[] = [];
      if (free > 0) {
        try {
          claimed = await this.store.claim([...this.handlers.keys()], free, this.options.leaseMs);
          failures = 0;
        } catch (err) {
          failures += 1;
          this.log.warn({ err }, 'could not claim CRM events; database unavailable?');
          await this.sleep(Math.min(MAX_RECONNECT_DELAY_MS, 250 * 2 ** Math.min(failures, 6)));
          continue;
        }
      }
      for (const row of claimed) this.track(this.process(row));
      if (claimed.length === free && free > 0) continue;
      await this.sleep(free > 0 ? await this.msUntilNextDue() : this.options.pollMs);
    }
  }

  private track(work: Promise<void>): void {
    const tracked = work
      .catch((err) => this.log.error({ err }, 'CRM event processing crashed'))
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

  private async process(row: ConnectorEventRow): Promise<void> {
    const log = this.log.child({ connectorEventId: row.id, crm: row.crm, kind: row.kind, objectId: row.object_id });
    const count = (result: string) => this.deps.metrics.connectorEvents.inc({ crm: row.crm, result });
    const handler = this.handlers.get(row.crm);
    if (!handler) return; // not reached: only the CRMs with a handler are claimed
    try {
      const processed = await handler(row, log);
      const outcome = await this.store.complete(row, processed.outcome, processed.apply);
      count('processed');
      log.info({ outcome, attempts: row.attempts }, 'CRM event processed');
    } catch (err) {
      if (err instanceof LostClaim) return log.warn('lost the claim on a CRM event; another worker has it');
      if (err instanceof RetryLater) {
        count('rate_limited');
        log.warn({ retryAfterMs: err.retryAfterMs }, 'rate limited by the CRM; waiting as told');
        await this.store.holdPending(row.crm, err.retryAfterMs);
        return this.store.retryAt(row, err.retryAfterMs, err.message, false);
      }
      const reason = err instanceof Error ? err.message : String(err);
      if (isDatabaseUnavailable(err)) {
        // Nothing to record it in: the lease runs out and the event is claimed again.
        return log.warn({ err }, 'database unavailable while processing a CRM event; it will be retried');
      }
      if (err instanceof PermanentFailure || row.attempts >= this.options.maxAttempts) {
        count('failed');
        log.error({ reason, attempts: row.attempts }, 'CRM event failed for good; replay it with npm run connector');
        return this.store.markFailed(row, reason);
      }
      const delay = this.backoff(row.attempts);
      count('retry');
      log.warn({ err, attempts: row.attempts, retryInMs: delay }, 'CRM event processing failed; will retry');
      return this.store.retryAt(row, delay, reason, true);
    }
  }

  private backoff(attempts: number): number {
    const exp = Math.min(this.options.maxBackoffMs, this.options.baseBackoffMs * 2 ** (attempts - 1));
    return Math.round(exp * (0.8 + Math.random() * 0.4));
  }
}
