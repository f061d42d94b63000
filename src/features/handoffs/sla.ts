import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Deps } from '../../deps.js';
import type { Job } from '../../scheduler.js';
import { enqueue } from '../../slack/outbox.js';
import { type OverdueHandoff, slaEscalation, slaReminder } from './sla-blocks.js';

/** Handoffs claimed per transaction, so a large backlog (the first run after a deploy) is worked off in steps. */
const BATCH = 200;

type Step = 'remind' | 'escalate';

interface Claimed extends OverdueHandoff {
  id: string;
  card_outbox_id: string | null;
}

/**
 * Marks up to BATCH pending handoffs older than `thresholdSeconds` as reminded (or escalated) and returns them.
 * The mark is the claim: on every replica the same UPDATE runs, and a row already marked (or locked by another
 * replica's claim, skipped) is never returned twice. Accepted and rejected handoffs are no longer pending.
 */
async function claimOverdue(trx: Db, step: Step, thresholdSeconds: number): Promise<Claimed[]> {
  const column = step === 'remind' ? sql.ref('sla_reminded_at') : sql.ref('sla_escalated_at');
  const result = await sql<Claimed>`
    with claimed as (
      update handoffs set ${column} = now()
      where id in (
        select id from handoffs
        where status = 'pending' and ${column} is null
          and occurred_at < now() - make_interval(secs => ${thresholdSeconds})
        order by occurred_at
        limit ${BATCH}
        for update skip locked
      )
      returning id, lead_id, campaign_id, owner_slack_user_id, owner_email, card_outbox_id, occurred_at
    )
    select claimed.id, claimed.owner_slack_user_id, claimed.owner_email, claimed.card_outbox_id,
      leads.name as lead_name, leads.company as lead_company, campaigns.name as campaign_name,
      extract(epoch from now() - claimed.occurred_at)::float8 as waited_seconds
    from claimed
    join leads on leads.id = claimed.lead_id
    left join campaigns on campaigns.id = claimed.campaign_id and not campaigns.placeholder
    order by claimed.occurred_at`.execute(trx);
  return result.rows;
}

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
      if (claimed < BATCH) break;
    }
  }
  if (counts.reminded + counts.escalated > 0) logger.info(counts, 'handoff SLA reminders queued');
  return counts;
}

/** SLA reminders and escalations for handoffs nobody acted on. */
export function slaJobs(deps: Deps): Job[] {
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
