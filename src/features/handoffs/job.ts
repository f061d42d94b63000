import type { Deps } from '../../deps.js';
import type { Job } from '../../scheduler.js';
import { enqueue } from '../../slack/outbox.js';
import { reassignOverdue } from '../routing/reassign.js';
import { scheduleSlaClocks } from '../routing/sla-clock.js';
import { summaryEscalation, summaryReminder } from '../routing/summary.js';
import { slaEscalation, slaReminder } from './blocks.js';
import { type ClaimedOverdue, claimOverdue, SLA_BATCH, type SlaStep } from './queries.js';

type SlaDeps = Pick<Deps, 'db' | 'config' | 'logger' | 'slack'>;

/**
 * One SLA check: sets when new (or reassigned) handoffs fall due, in working hours; reminds owners of handoffs
 * pending past the SLA (in the card's thread); reassigns those pending past twice the SLA within their owner's
 * pool; escalates the rest of those (in SALES_CHANNEL). Each claim and its posts commit together, so a handoff is
 * reminded, reassigned and escalated at most once per owner, across checks and replicas, and a failed post is
 * retried by the outbox.
 */
export async function checkHandoffSla(deps: SlaDeps): Promise<{
  reminded: number;
  reassigned: number;
  escalated: number;
}> {
  const { logger } = deps;
  await scheduleSlaClocks(deps);
  const counts = { reminded: 0, reassigned: 0, escalated: 0 };
  counts.reminded = await claimAndPost(deps, 'remind');
  counts.reassigned = await reassignOverdue(deps);
  counts.escalated = await claimAndPost(deps, 'escalate');
  if (counts.reminded + counts.reassigned + counts.escalated > 0) logger.info(counts, 'handoff SLA steps queued');
  return counts;
}

async function claimAndPost({ db, config }: SlaDeps, step: SlaStep): Promise<number> {
  const sales = config.channels.sales;
  let total = 0;
  for (;;) {
    const claimed = await db.transaction().execute(async (trx) => {
      // The reassignment step escalates what it cannot reassign, under its own claim: racing it here would
      // escalate a lead another replica is about to hand to someone.
      const reassignBelow =
        step === 'escalate' && config.routing.reassign !== false ? config.routing.maxReassignments : undefined;
      const rows = await claimOverdue(trx, step, reassignBelow);
      // Leads listed on a burst summary card are grouped: one post per summary, in its thread.
      const summarised = new Map<string, ClaimedOverdue[]>();
      for (const h of rows) {
        if (!h.card_outbox_id && h.summary_outbox_id) {
          summarised.set(h.summary_outbox_id, [...(summarised.get(h.summary_outbox_id) ?? []), h]);
        } else if (step === 'escalate') {
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
      for (const [summary, group] of summarised) {
        const payload =
          step === 'escalate' ? summaryEscalation(group, config.salesManagerUserId) : summaryReminder(group);
        await enqueue(trx, { method: 'chat.postMessage', dependsOn: summary, payload });
      }
      return rows.length;
    });
    total += claimed;
    if (claimed < SLA_BATCH) return total;
  }
}

/** SLA reminders, reassignments and escalations for handoffs nobody acted on. */
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
