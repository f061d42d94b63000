import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Handoff } from '../../db/schema.js';
import { UserFacingError } from '../../errors.js';
import { mention } from '../../slack/mrkdwn.js';
import { enqueue } from '../../slack/outbox.js';
import { type FeedbackInput, insertFeedback } from '../feedback/record.js';
import { campaignByCrmId } from '../leads/queries.js';
import { handoffCard } from './blocks.js';
import { enqueueCardUpdate } from './card.js';
import type { LeadHandoffEvent } from './schema.js';

/**
 * Stores a handoff (upserting its lead by CRM id) and its card for SALES_CHANNEL. A lead handed off again gets
 * a new handoff and a new card. Runs inside the webhook's transaction.
 */
export async function recordHandoff(
  trx: Db,
  event: LeadHandoffEvent,
  ownerSlackUserId: string | null,
  salesChannel: string,
): Promise<Handoff> {
  const { lead: l } = event;
  const fields = {
    name: l.name,
    email: l.email ?? null,
    company: l.company ?? null,
    title: l.title ?? null,
    phone: l.phone ?? null,
    score: l.score ?? null,
    source: l.source ?? null,
    url: l.url ?? null,
  };
  const lead = await trx
    .insertInto('leads')
    .values({ crm_id: l.id, ...fields })
    .onConflict((oc) => oc.column('crm_id').doUpdateSet({ ...fields, updated_at: sql`now()` }))
    .returningAll()
    .executeTakeFirstOrThrow();
  const campaign = l.campaign_id ? await campaignByCrmId(trx, l.campaign_id) : undefined;

  const handoff = await trx
    .insertInto('handoffs')
    .values({
      event_id: event.event_id,
      lead_id: lead.id,
      campaign_id: campaign?.id ?? null,
      owner_email: event.owner.email ?? null,
      owner_slack_user_id: ownerSlackUserId,
      notes: l.notes ?? null,
      occurred_at: event.occurred_at ?? sql<Date>`now()`,
    })
    .returningAll()
    .executeTakeFirstOrThrow();

  const cardId = await enqueue(trx, {
    method: 'chat.postMessage',
    channel: salesChannel,
    payload: { ...handoffCard({ handoff, lead, campaign }), unfurl_links: false },
  });
  return trx
    .updateTable('handoffs')
    .set({ card_outbox_id: cardId })
    .where('id', '=', handoff.id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Who may accept or reject: the owner when the handoff has one. */
export interface Decider {
  userId: string;
  /** The owner's Slack id, resolved by the caller (by email when the CRM sent only that); null: anyone may. */
  ownerId: string | null;
}

/** Why `decider` may not accept or reject this handoff now, or undefined when they may. */
export function decisionRefusal(handoff: Pick<Handoff, 'status' | 'decided_by'>, decider: Decider): string | undefined {
  if (decider.ownerId && decider.ownerId !== decider.userId) {
    return `Only ${mention(decider.ownerId)}, who owns this lead, can accept or reject it. Nothing was changed.`;
  }
  if (handoff.status !== 'pending') {
    const by = handoff.decided_by ? ` by ${mention(handoff.decided_by)}` : '';
    return `This lead was already ${handoff.status}${by}.`;
  }
  return undefined;
}

/** Locks a pending handoff for a decision, or says why it cannot be decided now. */
async function lockPending(trx: Db, handoffId: string, decider: Decider): Promise<Handoff> {
  const handoff = await trx
    .selectFrom('handoffs')
    .selectAll()
    .where('id', '=', handoffId)
    .forUpdate()
    .executeTakeFirst();
  if (!handoff) throw new UserFacingError('That handoff no longer exists in Tandem.');
  const refusal = decisionRefusal(handoff, decider);
  if (refusal) throw new UserFacingError(refusal);
  return handoff;
}

/** Accepts a handoff: records who and when, and updates the card in place. */
export async function acceptHandoff(db: Db, handoffId: string, decider: Decider) {
  return db.transaction().execute(async (trx) => {
    await lockPending(trx, handoffId, decider);
    await trx
      .updateTable('handoffs')
      .set({ status: 'accepted', decided_by: decider.userId, decided_at: sql`now()` })
      .where('id', '=', handoffId)
      .execute();
    await enqueueCardUpdate(trx, handoffId);
  });
}

/**
 * Rejects a handoff with the rep's reason and rating: stored as lead-quality feedback like any other (marketing
 * is told), and the card is updated to say so. All in one transaction.
 */
export async function rejectHandoff(
  db: Db,
  marketingChannel: string,
  handoffId: string,
  decider: Decider,
  feedback: FeedbackInput & { rejectReason: string },
) {
  return db.transaction().execute(async (trx) => {
    await lockPending(trx, handoffId, decider);
    const recorded = await insertFeedback(trx, marketingChannel, { ...feedback, handoffId });
    await trx
      .updateTable('handoffs')
      .set({
        status: 'rejected',
        decided_by: decider.userId,
        decided_at: sql`now()`,
        reject_reason: feedback.rejectReason,
      })
      .where('id', '=', handoffId)
      .execute();
    await enqueueCardUpdate(trx, handoffId);
    return recorded;
  });
}
