import type { Deps } from '../../deps.js';
import { claimRun, type Job } from '../../scheduler.js';
import { purgeExpired } from './queries.js';

export const RETENTION_JOB = 'retention';

const DAY_MS = 86_400_000;

/**
 * Daily, once across all replicas: removes what delivered Slack posts and processed CRM events hold about people
 * once they are RETENTION_DAYS old. The claim and the removal share a transaction, so a run that fails leaves the
 * tick to another replica (or the next day) and removes nothing by halves.
 */
export function retentionJob({ db, config, logger }: Pick<Deps, 'db' | 'config' | 'logger'>): Job {
  const log = logger.child({ job: RETENTION_JOB });
  return {
    name: RETENTION_JOB,
    cron: config.schedule.retentionCron,
    timezone: config.schedule.timezone,
    async run(scheduledFor) {
      const cutoff = new Date(scheduledFor.getTime() - config.retentionDays * DAY_MS);
      const purged = await db.transaction().execute(async (trx) => {
        if (!(await claimRun(trx, RETENTION_JOB, scheduledFor))) return undefined;
        return purgeExpired(trx, cutoff);
      });
      if (purged) log.info({ scheduledFor, cutoff, ...purged }, 'expired personal data removed');
      else log.debug({ scheduledFor }, 'retention run already claimed by another replica');
    },
  };
}
