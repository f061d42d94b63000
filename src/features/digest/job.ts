import type { Deps } from '../../deps.js';
import { claimRun, type Job } from '../../scheduler.js';
import { enqueue } from '../../slack/outbox.js';
import { weeklyDigestMessage } from './record.js';

export const DIGEST_JOB = 'weekly-digest';

/** Waits before each retry of a run that failed (the database was down, say): the digest is not skipped. */
const RETRY_DELAYS_MS = [5_000, 30_000, 120_000, 600_000];

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
    async run(scheduledFor, signal) {
      for (let attempt = 0; ; attempt++) {
        try {
          return await runOnce(scheduledFor);
        } catch (err) {
          const delay = retryDelaysMs[attempt];
          if (delay === undefined || signal?.aborted) throw err;
          log.warn({ err, scheduledFor, retryInMs: delay }, 'weekly digest failed; retrying');
          await new Promise((resolve) => {
            const timer = setTimeout(resolve, delay);
            signal?.addEventListener(
              'abort',
              () => {
                clearTimeout(timer);
                resolve(undefined);
              },
              { once: true },
            );
          });
          if (signal?.aborted) throw err;
        }
      }
    },
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
