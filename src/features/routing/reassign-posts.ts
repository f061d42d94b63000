import type { Config } from '../../config.js';
import type { Db } from '../../db/database.js';
import type { Campaign, Handoff, HandoffReassignment, Lead } from '../../db/schema.js';
import { enqueue } from '../../slack/outbox.js';
import { slaEscalation } from '../handoffs/blocks.js';
import { reassignedNotice, reassignedSummaryNotice } from './notices.js';
import { summaryEscalation } from './summary.js';

/** What the reassignment step did with one claimed handoff. */
export type Outcome = { handoff: Handoff; lead: Lead; campaign: Campaign | undefined } & (
  | { kind: 'reassigned'; move: HandoffReassignment }
  | { kind: 'escalated' }
);

function overdue({ handoff, lead, campaign }: Outcome) {
  const started = handoff.sla_started_at ?? handoff.occurred_at;
  return {
    owner_slack_user_id: handoff.owner_slack_user_id,
    owner_email: handoff.owner_email,
    lead_name: lead.name,
    lead_company: lead.company,
    campaign_name: campaign && !campaign.placeholder ? campaign.name : null,
    waited_seconds: (Date.now() - started.getTime()) / 1000,
  };
}

/** A lead listed on its owner's burst summary instead of a card of its own. */
const summaryOf = (h: Handoff) => (!h.card_outbox_id && h.summary_outbox_id ? h.summary_outbox_id : undefined);

function push<T>(groups: Map<string, T[]>, key: string, value: T) {
  groups.set(key, [...(groups.get(key) ?? []), value]);
}

/**
 * The posts for what the reassignment step did, in its transaction: a mention of the new owner in each card's
 * thread, and an escalation per lead; leads from a burst summary get one post per summary (and new owner) in the
 * summary's thread instead, so that reassigning an import does not flood anyone either.
 */
export async function postOutcomes(trx: Db, config: Config, outcomes: Outcome[]): Promise<void> {
  const sales = config.channels.sales;
  const moves = new Map<string, Array<Outcome & { kind: 'reassigned' }>>();
  const escalations = new Map<string, Outcome[]>();
  for (const o of outcomes) {
    const summary = summaryOf(o.handoff);
    if (o.kind === 'reassigned') {
      if (summary) push(moves, `${summary} ${o.move.to_slack_user_id}`, o);
      else {
        const payload = reassignedNotice(o.lead, o.move, Boolean(o.handoff.card_outbox_id));
        await enqueue(
          trx,
          o.handoff.card_outbox_id
            ? { method: 'chat.postMessage', dependsOn: o.handoff.card_outbox_id, payload }
            : { method: 'chat.postMessage', channel: sales, payload },
        );
      }
    } else if (summary) push(escalations, summary, o);
    else {
      const payload = { ...slaEscalation(overdue(o), config.salesManagerUserId) };
      await enqueue(trx, { method: 'chat.postMessage', channel: sales, payload });
    }
  }
  for (const [key, group] of moves) {
    const [summary = ''] = key.split(' ');
    const payload = reassignedSummaryNotice(
      group.map((o) => ({ lead: o.lead, campaign: o.campaign })),
      group.map((o) => o.move),
    );
    await enqueue(trx, { method: 'chat.postMessage', dependsOn: summary, payload });
  }
  for (const [summary, group] of escalations) {
    const payload = summaryEscalation(group.map(overdue), config.salesManagerUserId);
    await enqueue(trx, { method: 'chat.postMessage', dependsOn: summary, payload });
  }
}
