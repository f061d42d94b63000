import type { Db } from '../../db/database.js';
import type { Campaign, Lead } from '../../db/schema.js';
import { UserFacingError } from '../../errors.js';
import { enqueue } from '../../slack/outbox.js';
import { findLeadById, leadHandoff } from '../leads/queries.js';
import { marketingFeedbackNotice } from './blocks.js';
import type { FeedbackSubmission } from './schema.js';

export interface RecordedFeedback {
  feedbackId: string;
  lead: Lead;
  campaign: Campaign | undefined;
}

export class LeadNotFoundError extends UserFacingError {
  constructor() {
    super('That lead no longer exists in Tandem. Pick another one.');
  }
}

/**
 * Stores a rep's rating of a lead and, in the same transaction, the notice to marketing: both happen or neither.
 * The feedback is tied to the handoff it judges (the one given, else the lead's most recent), and through it to
 * the campaign that produced the lead.
 */
export async function recordFeedback(
  db: Db,
  marketingChannel: string,
  input: FeedbackInput,
): Promise<RecordedFeedback> {
  return db.transaction().execute((trx) => insertFeedback(trx, marketingChannel, input));
}

export type FeedbackInput = FeedbackSubmission & {
  raterSlackUserId: string;
  handoffId?: string | undefined;
  /** Set when the feedback rejects a handoff: marketing is told it was rejected and why. */
  rejectReason?: string | undefined;
};

/** `recordFeedback` inside a transaction the caller already holds (rejecting a handoff also updates it). */
export async function insertFeedback(
  trx: Db,
  marketingChannel: string,
  input: FeedbackInput,
): Promise<RecordedFeedback> {
  const lead = await findLeadById(trx, input.leadId);
  if (!lead) throw new LeadNotFoundError();
  const judged =
    (input.handoffId ? await leadHandoff(trx, lead.id, input.handoffId) : undefined) ??
    (await leadHandoff(trx, lead.id));
  const campaign = judged?.campaign;

  const { id: feedbackId } = await trx
    .insertInto('lead_feedback')
    .values({
      lead_id: lead.id,
      handoff_id: judged?.handoff.id ?? null,
      rater_slack_user_id: input.raterSlackUserId,
      rating: input.rating,
      sales_ready: input.salesReady,
      reasons: input.reasons,
      comment: input.comment,
    })
    .returning('id')
    .executeTakeFirstOrThrow();

  const notice = marketingFeedbackNotice({ ...input, lead, campaign });
  await enqueue(trx, {
    method: 'chat.postMessage',
    channel: marketingChannel,
    payload: { ...notice, unfurl_links: false },
  });
  return { feedbackId, lead, campaign };
}
