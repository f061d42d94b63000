import { hostname } from 'node:os';
import cron, { type ScheduledTask } from 'node-cron';
import type { Db } from './db/database.js';
import type { Logger } from './logger.js';

/** Scheduled work a feature declares; the scheduler runs it on every replica, `claimRun` keeps it to one. */
export interface Job {
  name: string;
  cron: string;
  timezone: string;
  /**
   * `scheduledFor` is the tick's own time (to the second), the same on every replica. `signal` aborts when the
   * process shuts down: a job waiting to retry should give up then.
   */
  run(scheduledFor: Date, signal?: AbortSignal): Promise<void>;
}

const REPLICA = `${hostname()}:${process.pid}`;

/**
 * Claims one scheduled run of `job` for this replica: true for exactly one caller per (job, scheduledFor)
 * across all replicas sharing the database, false for the rest. Claim before computing anything.
 */
export async function claimRun(db: Db, job: string, scheduledFor: Date): Promise<boolean> {
  const claimed = await db
    .insertInto('job_runs')
    .values({ job, scheduled_for: scheduledFor, claimed_by: REPLICA })
    .onConflict((oc) => oc.columns(['job', 'scheduled_for']).doNothing())
    .returning('job')
    .executeTakeFirst();
  return claimed !== undefined;
}

/** Runs jobs on their cron schedules; stop() waits for runs in progress. */
export class Scheduler {
  private readonly tasks: ScheduledTask[] = [];
  private readonly running = new Set<Promise<void>>();
  private readonly shutdown = new AbortController();

  constructor(private readonly logger: Logger) {}

  start(jobs: Job[]): void {
    for (const job of jobs) {
      const log = this.logger.child({ job: job.name });
      const task = cron.schedule(
        job.cron,
        (context) => {
          const scheduledFor = new Date(Math.floor(context.date.getTime() / 1000) * 1000);
          const run = job
            .run(scheduledFor, this.shutdown.signal)
            .catch((err) => log.error({ err, scheduledFor }, 'scheduled job failed'))
            .finally(() => this.running.delete(run));
          this.running.add(run);
          return run;
        },
        {
          name: job.name,
          timezone: job.timezone,
          noOverlap: true,
          logger: {
            info: (msg: string) => log.debug(msg),
            warn: (msg: string) => log.warn(msg),
            error: (msg: string | Error) => log.error(msg instanceof Error ? { err: msg } : {}, String(msg)),
            debug: (msg: string) => log.debug(msg),
          },
        },
      );
      this.tasks.push(task);
      log.info({ cron: job.cron, timezone: job.timezone }, 'scheduled');
    }
  }

  async stop(): Promise<void> {
    this.shutdown.abort();
    for (const task of this.tasks.splice(0)) await task.stop();
    await Promise.all(this.running);
  }
}

/** Waits before each retry of a scheduled run that failed (the database was down, say): the run is not skipped. */
export const RETRY_DELAYS_MS = [5_000, 30_000, 120_000, 600_000];

/**
 * Runs `attempt` until it succeeds, waiting `delaysMs` between tries and calling `onRetry` before each wait; gives up
 * (rethrowing the last error) when the delays run out or `signal` aborts.
 */
export async function withRetries<T>(
  attempt: () => Promise<T>,
  options: { delaysMs: number[]; signal?: AbortSignal; onRetry: (err: unknown, delayMs: number) => void },
): Promise<T> {
  const { delaysMs, signal, onRetry } = options;
  for (let tries = 0; ; tries++) {
    try {
      return await attempt();
    } catch (err) {
      const delay = delaysMs[tries];
      if (delay === undefined || signal?.aborted) throw err;
      onRetry(err, delay);
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
}
