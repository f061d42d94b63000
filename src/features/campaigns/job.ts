import type { Deps } from '../../deps.js';
import { claimRun, type Job, RETRY_DELAYS_MS, withRetries } from '../../scheduler.js';
import { enqueue } from '../../slack/outbox.js';
import { weeklyCampaignNote } from './note.js';

export const CAMPAIGN_NOTE_JOB = 'campaign-note';

/**
 * Posts the weekly campaign note to SALES_CHANNEL once per scheduled tick across all replicas: the claim, the
 * note and its outbox row commit together (a failure rolls the claim back and the run is retried), and the outbox
 * delivers it with retries from then on.
 */
export function campaignNoteJob(
  { db, config, logger }: Pick<Deps, 'db' | 'config' | 'logger'>,
  retryDelaysMs = RETRY_DELAYS_MS,
): Job {
  const log = logger.child({ job: CAMPAIGN_NOTE_JOB });
  return {
    name: CAMPAIGN_NOTE_JOB,
    cron: config.schedule.campaignNoteCron,
    timezone: config.schedule.timezone,
    run: (scheduledFor, signal) =>
      withRetries(() => runOnce(scheduledFor), {
        delaysMs: retryDelaysMs,
        signal,
        onRetry: (err, retryInMs) => log.warn({ err, scheduledFor, retryInMs }, 'campaign note failed; retrying'),
      }),
  };

  async function runOnce(scheduledFor: Date): Promise<void> {
    const outboxId = await db.transaction().execute(async (trx) => {
      if (!(await claimRun(trx, CAMPAIGN_NOTE_JOB, scheduledFor))) return undefined;
      const note = await weeklyCampaignNote(trx, scheduledFor, config);
      return enqueue(trx, {
        method: 'chat.postMessage',
        channel: config.channels.sales,
        payload: { ...note, unfurl_links: false, unfurl_media: false },
      });
    });
    if (outboxId) log.info({ scheduledFor, outboxId }, 'campaign note queued');
    else log.debug({ scheduledFor }, 'campaign note already claimed by another replica');
  }
}
