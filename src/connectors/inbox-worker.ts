import { backoffMs, ClaimLoop, type LeasedWorkerOptions } from '../db/claim-loop.js';
import type { DatabaseHandle, Db } from '../db/database.js';
import { isDatabaseUnavailable } from '../db/errors.js';
import type { ConnectorEventRow } from '../db/schema.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import { InboxStore, LostClaim } from './inbox.js';

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

/** The outbox's tuning; API reads time out after 10 s each, so the default lease is longer. */
export type InboxWorkerOptions = LeasedWorkerOptions;

interface Deps {
  database: DatabaseHandle;
  logger: Logger;
  metrics: Metrics;
}

const INBOX_DEFAULTS: Required<InboxWorkerOptions> = {
  concurrency: 4,
  leaseMs: 60_000,
  pollMs: 5_000,
  maxAttempts: 12,
  baseBackoffMs: 2_000,
  maxBackoffMs: 10 * 60_000,
};

/**
 * Processes stored CRM events, as the outbox worker delivers Slack posts: claims under a lease with SKIP LOCKED
 * (each event once across replicas), woken by NOTIFY, backoff on failure, Retry-After on 429, failures kept.
 */
export class InboxWorker extends ClaimLoop<ConnectorEventRow> {
  private readonly store: InboxStore;
  private readonly options: Required<InboxWorkerOptions>;

  constructor(
    private readonly deps: Deps,
    private readonly handlers: ReadonlyMap<string, ConnectorHandler>,
    options: InboxWorkerOptions = {},
  ) {
    const settings = { ...INBOX_DEFAULTS, ...options };
    const store = new InboxStore(deps.database.db);
    super(deps.database, store, settings, deps.logger.child({ component: 'connector-inbox' }), 'CRM events');
    this.store = store;
    this.options = settings;
  }

  /** Only the CRMs this process is configured for: another replica's events are not ours to drop. */
  protected override claim(limit: number, leaseMs: number): Promise<ConnectorEventRow[]> {
    return this.store.claimFor([...this.handlers.keys()], limit, leaseMs);
  }

  protected handle(row: ConnectorEventRow): Promise<void> {
    return this.process(row);
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
      const delay = backoffMs(row.attempts, this.options.baseBackoffMs, this.options.maxBackoffMs);
      count('retry');
      log.warn({ err, attempts: row.attempts, retryInMs: delay }, 'CRM event processing failed; will retry');
      return this.store.retryAt(row, delay, reason, true);
    }
  }
}
