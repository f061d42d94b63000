import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Handoff } from '../../db/schema.js';
import { UserFacingError } from '../../errors.js';
import { escapedWithin, mention } from '../../slack/kit/index.js';
import { enqueue } from '../../slack/outbox.js';
import { insertFeedback } from '../feedback/record.js';
import { ensureCampaign } from '../leads/queries.js';
import { nativeOwnerRef, type OwnerRef } from '../people/record.js';
import { handoffCard } from './blocks.js';
import { type CardContent, cardContext, lockHandoff } from './queries.js';
import type { LeadHandoffEvent, RejectSubmission } from './schema.js';

/**
 * Stores a handoff (upserting its lead by CRM id) and its card for SALES_CHANNEL. A lead handed off again gets
 * a new handoff and a new card. Runs inside the webhook's transaction.
 */
export async function recordHandoff(
  trx: Db,
  event: LeadHandoffEvent,
  ownerSlackUserId: string | null,
  salesChannel: string,
  /** The CRM user who owns it (connectors); native webhooks' owners are keyed by their email. */
  ownerRef: OwnerRef | undefined = nativeOwnerRef(event.owner),
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
  const campaign = l.campaign_id ? await ensureCampaign(trx, l.campaign_id) : undefined;

  const handoff = await trx
    .insertInto('handoffs')
    .values({
      event_id: event.event_id,
      lead_id: lead.id,
      campaign_id: campaign?.id ?? null,
      owner_email: event.owner.email ?? null,
      owner_slack_user_id: ownerSlackUserId,
      owner_crm: ownerRef?.crm ?? null,
      owner_crm_id: ownerRef?.id ?? null,
      owner_name: ownerRef?.name ?? null,
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
  /** Set when the owner is no Slack person now: the decision then waits, or is only for admins (`mayDecide`). */
  unresolved?: { reason: 'lookup_failed' } | { reason: 'not_in_slack'; owner: string; mayDecide: boolean };
}

/** Why `decider` may not accept or reject this handoff now, or undefined when they may. */
export function decisionRefusal(handoff: Pick<Handoff, 'status' | 'decided_by'>, decider: Decider): string | undefined {
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
  if (decider.ownerId && decider.ownerId !== decider.userId) {
    return `Only ${mention(decider.ownerId)}, who owns this lead, can accept or reject it. Nothing was changed.`;
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
    const { lead, campaign } = await cardContext(trx, locked);
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
    await enqueueCardUpdate(trx, { handoff, lead, campaign });
  });
}

/** Re-renders the card in place after its handoff changed (a chat.update that waits for the card's own post). */
export async function enqueueCardUpdate(trx: Db, card: CardContent): Promise<void> {
  if (!card.handoff.card_outbox_id) return;
  await enqueue(trx, { method: 'chat.update', payload: handoffCard(card), dependsOn: card.handoff.card_outbox_id });
}
