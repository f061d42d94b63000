import type { Deps } from '../../deps.js';
import { claimRun, type Job, RETRY_DELAYS_MS, withRetries } from '../../scheduler.js';
import { enqueue } from '../../slack/outbox.js';
import { weeklyDigestMessage } from './record.js';

export const DIGEST_JOB = 'weekly-digest';

/**
 * Posts the digest to DIGEST_CHANNEL once per scheduled tick across all replicas. The claim, the figures and the
 * outbox row share one transaction: if computing fails the claim rolls back (another replica may take it, the
 * error is logged by the scheduler), and once committed the outbox retries delivery until Slack takes it.
 * A replica racing for the same tick waits on the claim's row lock and then finds it taken.
 */
export function weeklyDigestJob(
  { db, config, logger }: Pick<Deps, 'db' | 'config' | 'logger'>,
  retryDelaysMs = RETRY_DELAYS_MS,
): Job {
  const log = logger.child({ job: DIGEST_JOB });
  return {
    name: DIGEST_JOB,
    cron: config.schedule.digestCron,
    timezone: config.schedule.timezone,
    run: (scheduledFor, signal) =>
      withRetries(() => runOnce(scheduledFor), {
        delaysMs: retryDelaysMs,
        signal,
        onRetry: (err, retryInMs) => log.warn({ err, scheduledFor, retryInMs }, 'weekly digest failed; retrying'),
      }),
  };

  async function runOnce(scheduledFor: Date): Promise<void> {
    const outboxId = await db.transaction().execute(async (trx) => {
      if (!(await claimRun(trx, DIGEST_JOB, scheduledFor))) return undefined;
      const message = await weeklyDigestMessage(trx, scheduledFor, config);
      return enqueue(trx, {
        method: 'chat.postMessage',
        channel: config.channels.digest,
        payload: { ...message, unfurl_links: false, unfurl_media: false },
      });
    });
    if (outboxId) log.info({ scheduledFor, outboxId }, 'weekly digest queued');
    else log.debug({ scheduledFor }, 'weekly digest already claimed by another replica');
  }
}
