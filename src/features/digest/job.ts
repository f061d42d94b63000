import type { Deps } from '../../deps.js';
import { claimRun, type Job, RETRY_DELAYS_MS, withRetries } from '../../scheduler.js';
import { enqueue } from '../../slack/outbox.js';
import { type ChartRenderer, queueChart, weeklyChart } from './chart-post.js';
import { weeklyDigestMessage } from './record.js';
import { renderChart } from './render.js';

export const DIGEST_JOB = 'weekly-digest';

/** Waits before each retry of drawing the chart: it should follow the text within minutes or not at all. */
const CHART_RETRY_DELAYS_MS = [5_000, 30_000];

/**
 * Posts the digest to DIGEST_CHANNEL once per scheduled tick across all replicas. The claim, the figures and the
 * outbox row share one transaction: if computing fails the claim rolls back (another replica may take it, the
 * error is logged by the scheduler), and once committed the outbox retries delivery until Slack takes it.
 * A replica racing for the same tick waits on the claim's row lock and then finds it taken.
 *
 * Then, on the replica that posted it, the 8-week chart is drawn and queued as an upload into the digest's thread.
 * The text is committed first and never waits for the chart: a chart that cannot be drawn is logged and skipped.
 */
export function weeklyDigestJob(
  { db, config, logger }: Pick<Deps, 'db' | 'config' | 'logger'>,
  retryDelaysMs = RETRY_DELAYS_MS,
  chart: { render: ChartRenderer; retryDelaysMs: number[] } = {
    render: renderChart,
    retryDelaysMs: CHART_RETRY_DELAYS_MS,
  },
): Job {
  const log = logger.child({ job: DIGEST_JOB });
  return {
    name: DIGEST_JOB,
    cron: config.schedule.digestCron,
    timezone: config.schedule.timezone,
    async run(scheduledFor, signal) {
      const outboxId = await withRetries(() => runOnce(scheduledFor), {
        delaysMs: retryDelaysMs,
        signal,
        onRetry: (err, retryInMs) => log.warn({ err, scheduledFor, retryInMs }, 'weekly digest failed; retrying'),
      });
      if (outboxId) await postChart(outboxId, scheduledFor, signal);
    },
  };

  async function postChart(digestOutboxId: string, scheduledFor: Date, signal: AbortSignal | undefined) {
    try {
      const chartId = await withRetries(
        async () => queueChart(db, digestOutboxId, await weeklyChart(db, scheduledFor, config, chart.render)),
        {
          delaysMs: chart.retryDelaysMs,
          signal,
          onRetry: (err, retryInMs) => log.warn({ err, retryInMs }, 'weekly digest chart failed; retrying'),
        },
      );
      log.info({ scheduledFor, outboxId: chartId }, 'weekly digest chart queued');
    } catch (err) {
      log.error({ err, scheduledFor }, 'weekly digest chart could not be drawn; the digest went out without it');
    }
  }

  async function runOnce(scheduledFor: Date): Promise<string | undefined> {
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
    return outboxId;
  }
}
