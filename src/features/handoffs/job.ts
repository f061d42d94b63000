import type { Deps } from '../../deps.js';
import type { Job } from '../../scheduler.js';
import { enqueue } from '../../slack/outbox.js';
import { slaEscalation, slaReminder } from './blocks.js';
import { claimOverdue, SLA_BATCH } from './queries.js';

/**
 * One SLA check: reminds owners of handoffs pending past the SLA (in the card's thread), then escalates those
 * pending past twice the SLA (in SALES_CHANNEL). Each claim and its posts commit together, so a handoff is
 * reminded and escalated at most once, across checks and replicas, and a failed post is retried by the outbox.
 */
export async function checkHandoffSla({ db, config, logger }: Pick<Deps, 'db' | 'config' | 'logger'>): Promise<{
  reminded: number;
  escalated: number;
}> {
  const slaSeconds = config.handoffSlaHours * 3600;
  const sales = config.channels.sales;
  const counts = { reminded: 0, escalated: 0 };
  for (const step of ['remind', 'escalate'] as const) {
    for (;;) {
      const claimed = await db.transaction().execute(async (trx) => {
        const rows = await claimOverdue(trx, step, step === 'remind' ? slaSeconds : 2 * slaSeconds);
        for (const h of rows) {
          if (step === 'escalate') {
            await enqueue(trx, {
              method: 'chat.postMessage',
              channel: sales,
              payload: { ...slaEscalation(h, config.salesManagerUserId) },
            });
          } else if (h.card_outbox_id) {
            await enqueue(trx, {
              method: 'chat.postMessage',
              dependsOn: h.card_outbox_id,
              payload: { ...slaReminder(h, true) },
            });
          } else {
            await enqueue(trx, { method: 'chat.postMessage', channel: sales, payload: { ...slaReminder(h, false) } });
          }
        }
        return rows.length;
      });
      counts[step === 'remind' ? 'reminded' : 'escalated'] += claimed;
      if (claimed < SLA_BATCH) break;
    }
  }
  if (counts.reminded + counts.escalated > 0) logger.info(counts, 'handoff SLA reminders queued');
  return counts;
}

/** SLA reminders and escalations for handoffs nobody acted on. */
export function handoffJobs(deps: Deps): Job[] {
  const log = deps.logger.child({ job: 'handoff-sla' });
  return [
    {
      name: 'handoff-sla',
      cron: deps.config.schedule.slaCheckCron,
      timezone: deps.config.schedule.timezone,
      // No claimRun: the per-handoff claims above already make every reminder happen once.
      run: async () => {
        await checkHandoffSla({ ...deps, logger: log });
      },
    },
  ];
}
