import type { Db } from '../../db/database.js';
import type { Campaign, Handoff, Lead } from '../../db/schema.js';
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

/** The lead being rated and the handoff it is judged by, when the caller has them locked already. */
export interface JudgedLead {
  lead: Lead;
  handoff: Handoff;
  campaign: Campaign | undefined;
}

/**
 * `recordFeedback` inside a transaction the caller already holds. Rejecting a handoff passes the handoff it has
 * locked (`judged`), so nothing is read twice.
 */
export async function insertFeedback(
  trx: Db,
  marketingChannel: string,
  input: FeedbackInput,
  judged?: JudgedLead,
): Promise<RecordedFeedback> {
  const { lead, handoff, campaign } = judged ?? (await judgedLead(trx, input));
  const { id: feedbackId } = await trx
    .insertInto('lead_feedback')
    .values({
      lead_id: lead.id,
      handoff_id: handoff?.id ?? null,
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

/** The lead and the handoff its feedback is tied to: the one given, else the lead's most recent. */
async function judgedLead(trx: Db, input: FeedbackInput) {
  const lead = await findLeadById(trx, input.leadId);
  if (!lead) throw new LeadNotFoundError();
  const recent =
    (input.handoffId ? await leadHandoff(trx, lead.id, input.handoffId) : undefined) ??
    (await leadHandoff(trx, lead.id));
  return { lead, handoff: recent?.handoff, campaign: recent?.campaign };
}
