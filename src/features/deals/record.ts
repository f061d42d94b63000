import type { Db } from '../../db/database.js';
import type { Campaign, Deal, Lead } from '../../db/schema.js';
import { enqueue } from '../../slack/outbox.js';
import { isStaleEvent, nextSourceTime } from '../event-time.js';
import { ensureCampaign, findLeadById, leadHandoff, lockLeadReference } from '../leads/queries.js';
import { dealCelebration, lostCelebration } from './blocks.js';
import {
  attachLead,
  findCampaignById,
  findDealLead,
  latestLeadRating,
  lockDeal,
  setCelebration,
  upsertDeal,
} from './queries.js';
import type { DealClosedEvent } from './schema.js';

export interface RecordedDeal {
  deal: Deal;
  /**
   * What this event did in Slack: a first celebration, an edit of it, striking it through (a won deal reopened
   * and lost), or nothing.
   */
  celebration: 'posted' | 'updated' | 'struck' | 'none';
  /** The event was older than the newest applied to the deal: nothing was changed. */
  stale: boolean;
}

/** Fields the celebration shows: a change to any of them is worth an edit of the posted message. */
const SHOWN: (keyof Deal)[] = [
  'name',
  'amount',
  'currency',
  'company',
  'owner_email',
  'owner_slack_user_id',
  'lead_id',
  'campaign_id',
  'stage',
];

/**
 * Stores a closed deal with its attribution (lead by CRM id or email; campaign as sent, else the campaign of the
 * lead's most recent handoff) and, in the same transaction, what Slack should show: a won deal is celebrated once
 * in `winsChannel`; a later event that changes what the celebration shows edits it, and a won deal later lost
 * has its celebration struck through. Lost deals are otherwise only stored. An event older than the newest one
 * applied to the deal (by `occurred_at`) is stale and changes nothing.
 */
export async function recordDealClosed(
  trx: Db,
  event: DealClosedEvent,
  { ownerSlackUserId, winsChannel }: { ownerSlackUserId: string | null; winsChannel: string },
): Promise<RecordedDeal> {
  const { deal } = event;
  await lockLeadReference(trx, { crmId: deal.lead_id, email: deal.lead_email });
  const lead = await findDealLead(trx, deal);
  const recent = lead ? await leadHandoff(trx, lead.id) : undefined;
  const before = await lockDeal(trx, deal.id);
  if (before && isStaleEvent(before.source_updated_at, event.occurred_at)) {
    return { deal: before, celebration: 'none', stale: true };
  }
  // After the stale check: a stale event must not even create the placeholder campaign it names.
  const campaign = deal.campaign_id ? await ensureCampaign(trx, deal.campaign_id) : recent?.campaign;
  const loaded: Attribution = { lead, recent, campaign };

  const stored = await upsertDeal(trx, {
    crm_id: deal.id,
    name: deal.name,
    amount: deal.amount,
    currency: deal.currency,
    stage: deal.stage,
    lost_reason: deal.stage === 'lost' ? (deal.lost_reason ?? null) : null,
    closed_at: deal.closed_at,
    company: deal.company ?? null,
    lead_id: lead?.id ?? null,
    lead_crm_id: deal.lead_id ?? null,
    lead_email: deal.lead_email ?? null,
    campaign_id: campaign?.id ?? null,
    url: deal.url ?? null,
    owner_email: deal.owner.email ?? null,
    owner_slack_user_id: ownerSlackUserId,
    source_updated_at: nextSourceTime(before?.source_updated_at ?? null, event.occurred_at),
  });

  if (!stored.celebration_outbox_id) {
    if (stored.stage !== 'won') return { deal: stored, celebration: 'none', stale: false };
    const id = await enqueue(trx, {
      method: 'chat.postMessage',
      channel: winsChannel,
      payload: { ...(await celebrationFor(trx, stored, loaded)), unfurl_links: false, unfurl_media: false },
    });
    await setCelebration(trx, stored.id, id);
    return { deal: { ...stored, celebration_outbox_id: id }, celebration: 'posted', stale: false };
  }
  const changed = before !== undefined && SHOWN.some((field) => !sameValue(before[field], stored[field]));
  if (!changed) return { deal: stored, celebration: 'none', stale: false };
  const current = await celebrationFor(trx, stored, loaded);
  const lost = stored.stage === 'lost';
  await enqueue(trx, {
    method: 'chat.update',
    // A celebration left standing after the deal was lost would tell the channel a lie.
    payload: lost ? lostCelebration(current, stored) : current,
    dependsOn: stored.celebration_outbox_id,
  });
  return { deal: stored, celebration: lost ? 'struck' : 'updated', stale: false };
}

/**
 * A lead handed off after its deal closed (CRMs deliver out of order): deals that named the lead by CRM id or
 * email but found no lead then get it now, with the campaign of its handoff when they name none, and a posted
 * celebration is edited to credit them. Runs in the handoff's transaction.
 */
export async function attachWaitingDeals(trx: Db, lead: Lead, waiting: Deal[]): Promise<void> {
  if (waiting.length === 0) return;
  const recent = await leadHandoff(trx, lead.id);
  for (const deal of waiting) {
    const attached = await attachLead(trx, deal.id, lead.id, deal.campaign_id ?? recent?.campaign?.id ?? null);
    if (!attached.celebration_outbox_id || attached.stage !== 'won') continue;
    await enqueue(trx, {
      method: 'chat.update',
      payload: await celebrationFor(trx, attached, { lead, recent, campaign: recent?.campaign }),
      dependsOn: attached.celebration_outbox_id,
    });
  }
}

/** What this event already read about the deal's lead: reused when the stored deal still points at it. */
interface Attribution {
  lead: Lead | undefined;
  recent: Awaited<ReturnType<typeof leadHandoff>>;
  campaign: Campaign | undefined;
}

/**
 * The celebration of a stored deal, attributed through the lead and campaign it references. The stored row may
 * keep an earlier event's lead or campaign (an event that leaves them out does not erase them): only those are read.
 */
async function celebrationFor(trx: Db, deal: Deal, loaded: Attribution) {
  const sameLead = deal.lead_id === (loaded.lead?.id ?? null);
  const lead = sameLead ? loaded.lead : deal.lead_id ? await findLeadById(trx, deal.lead_id) : undefined;
  const recent = sameLead ? loaded.recent : lead ? await leadHandoff(trx, lead.id) : undefined;
  const campaign =
    deal.campaign_id === (loaded.campaign?.id ?? null)
      ? loaded.campaign
      : deal.campaign_id
        ? await findCampaignById(trx, deal.campaign_id)
        : undefined;
  return dealCelebration({
    deal,
    lead,
    campaign,
    handedOffAt: recent?.handoff.occurred_at,
    rating: lead ? await latestLeadRating(trx, lead.id) : undefined,
  });
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  return a === b;
}
