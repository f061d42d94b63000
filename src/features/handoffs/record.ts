import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Config } from '../../config.js';
import type { Db } from '../../db/database.js';
import type { Campaign, Handoff, Lead } from '../../db/schema.js';
import { UserFacingError } from '../../errors.js';
import { escapedWithin, mention } from '../../slack/kit/index.js';
import { enqueue } from '../../slack/outbox.js';
import { findWaitingDeals } from '../deals/queries.js';
import { attachWaitingDeals } from '../deals/record.js';
import { insertFeedback } from '../feedback/record.js';
import { ensureCampaign } from '../leads/queries.js';
import { nativeOwnerRef, type OwnerRef } from '../people/record.js';
import { insertWithCard, type NewHandoff, ownerKey } from '../routing/burst.js';
import { handoffCard } from './blocks.js';
import { type CardContent, cardContext, lockHandoff, upsertLead } from './queries.js';
import type { LeadHandoffEvent, RejectSubmission } from './schema.js';

/**
 * Stores a handoff (upserting its lead by CRM id) and its card, in the caller's transaction: in its campaign's
 * routed channel (else the default route, else SALES_CHANNEL), or past the owner's burst on their summary card.
 * A lead handed off again gets a new handoff and card, and its earlier pending handoffs are closed as superseded
 * (their cards say so, and no SLA reminder follows). A late event, older (by `occurred_at`) than the newest handoff
 * applied to the lead, is kept as history (attribution counts it) but arrives superseded: it leaves the lead's
 * newer fields alone and posts no card. The caller holds the lead's locks (leadLockKeys, taken with the event id
 * by recordEventOnce), so that two events for one lead take turns (the older one sees the newer one's time), and
 * so do its deals.
 */
export async function recordHandoff(
  trx: Db,
  event: LeadHandoffEvent,
  ownerSlackUserId: string | null,
  /**
   * Where cards go without a route (SALES_CHANNEL), how many per owner per 5 minutes (HANDOFF_BURST), and whether
   * this handoff's card was taken from its owner's window already (reserveCard).
   */
  posting: { defaultChannel: string; burst: number; cardReserved?: boolean | undefined },
  /** The CRM user who owns it (connectors); native webhooks' owners are keyed by their email. */
  ownerRef: OwnerRef | undefined = nativeOwnerRef(event.owner),
): Promise<Handoff> {
  const { lead: l } = event;
  const owner = { slackUserId: ownerSlackUserId, ref: ownerRef };
  const upserted = await upsertLead(trx, event);
  if (!upserted) return recordLateHandoff(trx, event, owner);
  const { tx_now: now, existed, campaign: stored, routed_channel, deals_waiting, ...lead } = upserted;
  const campaign = stored ?? (l.campaign_id ? await ensureCampaign(trx, l.campaign_id) : undefined);
  const handoff = newHandoff(event, lead, campaign, owner, now);
  // Only a lead stored before can have earlier handoffs to close.
  if (existed) await supersedeEarlier(trx, handoff);
  const channel = routed_channel ?? posting.defaultChannel;
  const placed = await insertWithCard(trx, handoff, { lead, campaign }, { ...posting, channel });
  if (deals_waiting) await attachWaitingDeals(trx, lead, await findWaitingDeals(trx, lead));
  return placed;
}

/** The key of the owner's burst window for the handoff an event makes, known before its transaction. */
export function handoffOwnerKey(event: LeadHandoffEvent, ownerSlackUserId: string | null): string | undefined {
  const ref = nativeOwnerRef(event.owner);
  return ownerKey({
    owner_slack_user_id: ownerSlackUserId,
    owner_crm: ref?.crm ?? null,
    owner_crm_id: ref?.id ?? null,
    owner_email: event.owner.email ?? null,
  });
}

/** Where handoff cards go by default and how many per owner per window: SALES_CHANNEL and HANDOFF_BURST. */
export function cardPosting(config: Pick<Config, 'channels' | 'routing'>) {
  return { defaultChannel: config.channels.sales, burst: config.routing.burst };
}

/** A handoff older than the lead's newest: stored (already superseded) for attribution, the lead untouched. */
async function recordLateHandoff(trx: Db, event: LeadHandoffEvent, owner: HandoffOwner) {
  const lead = await trx.selectFrom('leads').selectAll().where('crm_id', '=', event.lead.id).executeTakeFirstOrThrow();
  const campaign = event.lead.campaign_id ? await ensureCampaign(trx, event.lead.campaign_id) : undefined;
  return trx
    .insertInto('handoffs')
    .values({ ...newHandoff(event, lead, campaign, owner), status: 'superseded', decided_at: sql<Date>`now()` })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Who owns a handoff: their Slack id when known, and who the CRM says they are. */
interface HandoffOwner {
  slackUserId: string | null;
  ref: OwnerRef | undefined;
}

/** The handoff an event makes, its id chosen here so that its card can be built before it is stored. */
function newHandoff(
  event: LeadHandoffEvent,
  lead: Lead,
  campaign: Pick<Campaign, 'id'> | undefined,
  owner: HandoffOwner,
  /** The transaction's time: an event that does not say when it happened happened when it was received. */
  now = new Date(),
): NewHandoff {
  return {
    id: randomUUID(),
    event_id: event.event_id,
    lead_id: lead.id,
    campaign_id: campaign?.id ?? null,
    owner_email: event.owner.email ?? null,
    owner_slack_user_id: owner.slackUserId,
    owner_crm: owner.ref?.crm ?? null,
    owner_crm_id: owner.ref?.id ?? null,
    owner_name: owner.ref?.name ?? null,
    notes: event.lead.notes ?? null,
    occurred_at: event.occurred_at ? new Date(event.occurred_at) : now,
  };
}

/**
 * Closes the lead's pending handoffs older than `latest` (about to be stored) as superseded and edits their cards: the owner of an
 * earlier handoff should not be reminded about, or accept, a lead that was handed on since.
 */
async function supersedeEarlier(trx: Db, latest: Pick<Handoff, 'lead_id' | 'occurred_at'>): Promise<void> {
  const closed = await trx
    .updateTable('handoffs')
    .set({ status: 'superseded', decided_at: sql`now()` })
    .where('lead_id', '=', latest.lead_id)
    .where('status', '=', 'pending')
    .where('occurred_at', '<=', latest.occurred_at)
    .returningAll()
    .execute();
  for (const handoff of closed) await enqueueCardUpdate(trx, await cardContext(trx, handoff));
}

/** Who may accept or reject: the owner when the handoff has one. */
export interface Decider {
  userId: string;
  /** The owner's Slack id, resolved by the caller (by email when the CRM sent only that); null: anyone may. */
  ownerId: string | null;
  /** Set when the owner is no Slack person now: the decision then waits, or is only for admins (`mayDecide`). */
  unresolved?: { reason: 'lookup_failed' } | { reason: 'not_in_slack'; owner: string; mayDecide: boolean };
}

/** Why `decider` may not accept or reject this handoff now, or undefined when they may. */
export function decisionRefusal(
  handoff: Pick<Handoff, 'status' | 'decided_by'> & Partial<Pick<Handoff, 'reassignments'>>,
  decider: Decider,
): string | undefined {
  // Fail closed: an owner we cannot place in Slack does not make the lead anyone's.
  if (decider.unresolved?.reason === 'lookup_failed') {
    return 'Tandem could not check who owns this lead in Slack just now. Try again in a minute; nothing was changed.';
  }
  if (decider.unresolved?.reason === 'not_in_slack' && !decider.unresolved.mayDecide) {
    return (
      `This lead belongs to ${escapedWithin(decider.unresolved.owner, 320)}, who is not in Slack yet: until an admin ` +
      'maps them with `/tandem map`, only an admin or the sales manager can accept or reject it. Nothing was changed.'
    );
  }
  if (decider.ownerId && decider.ownerId !== decider.userId && (handoff.reassignments ?? 0) > 0) {
    return (
      `This lead was reassigned to ${mention(decider.ownerId)}: only they can accept or reject it now. ` +
      'Nothing was changed.'
    );
  }
  if (decider.ownerId && decider.ownerId !== decider.userId) {
    return `Only ${mention(decider.ownerId)}, who owns this lead, can accept or reject it. Nothing was changed.`;
  }
  if (handoff.status === 'superseded') {
    return 'This lead was handed off again since; its newest card is the one to accept or reject. Nothing was changed.';
  }
  if (handoff.status !== 'pending') {
    const by = handoff.decided_by ? ` by ${mention(handoff.decided_by)}` : '';
    return `This lead was already ${handoff.status}${by}.`;
  }
  return undefined;
}

/** What the owner decided; a rejection carries the rating that goes to marketing with it. */
export type Decision =
  | { status: 'accepted' }
  | { status: 'rejected'; feedback: RejectSubmission & { raterSlackUserId: string }; marketingChannel: string };

/**
 * Accepts or rejects a handoff in one transaction: locks it (the one read of it), checks that `decider` may,
 * records who and when, stores a rejection's rating as lead feedback (marketing is told), and updates the card in
 * place. Throws a UserFacingError saying why when the decision is not theirs to make or already made.
 */
export async function decideHandoff(db: Db, handoffId: string, decider: Decider, decision: Decision): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const locked = await lockHandoff(trx, handoffId);
    if (!locked) throw new UserFacingError('That handoff no longer exists in Tandem.');
    const refusal = decisionRefusal(locked, decider);
    if (refusal) throw new UserFacingError(refusal);
    const { lead, campaign, history } = await cardContext(trx, locked);
    if (decision.status === 'rejected') {
      const feedback = { ...decision.feedback, leadId: lead.id, handoffId };
      await insertFeedback(trx, decision.marketingChannel, feedback, { lead, handoff: locked, campaign });
    }
    const handoff = await trx
      .updateTable('handoffs')
      .set({
        status: decision.status,
        decided_by: decider.userId,
        decided_at: sql`now()`,
        reject_reason: decision.status === 'rejected' ? decision.feedback.rejectReason : null,
      })
      .where('id', '=', handoffId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await enqueueCardUpdate(trx, { handoff, lead, campaign, history });
  });
}

/** Re-renders the card in place after its handoff changed (a chat.update that waits for the card's own post). */
export async function enqueueCardUpdate(trx: Db, card: CardContent): Promise<void> {
  if (!card.handoff.card_outbox_id) return;
  await enqueue(trx, { method: 'chat.update', payload: handoffCard(card), dependsOn: card.handoff.card_outbox_id });
}
