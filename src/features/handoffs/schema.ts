import { z } from 'zod';
import { type ModalField, parseMetadata, parseModal, type ViewStateValues } from '../../slack/modal.js';
import { BLOCK, REJECT_REASONS, type ReasonCode } from '../feedback/ids.js';
import { RATING_FIELDS, ratingAnswers } from '../feedback/schema.js';
import { eventId, httpUrl, optionalText, owner, requiredText, timestamp } from '../webhook-fields.js';
import { REJECT_REASON } from './ids.js';

export const NOTES_MAX = 3000;

/** `POST /webhooks/lead-handoff`: marketing hands a lead to a sales rep. */
export const leadHandoffEvent = z.object({
  event_id: eventId,
  occurred_at: timestamp.optional(),
  lead: z.object({
    id: requiredText(200),
    name: requiredText(500),
    email: z
      .string()
      .trim()
      .pipe(z.email({ error: 'must be an email address' }).max(320))
      .optional(),
    company: optionalText(500),
    title: optionalText(500),
    phone: optionalText(100),
    score: z.number().int('must be a whole number').min(0).max(100).optional(),
    source: optionalText(200),
    campaign_id: optionalText(200),
    notes: optionalText(NOTES_MAX),
    url: httpUrl,
  }),
  owner,
});

export type LeadHandoffEvent = z.infer<typeof leadHandoffEvent>;

/** What the reject modal carries to its submission: which handoff, and where to answer the owner. */
export const rejectMetadataSchema = z.object({
  handoffId: z.uuid(),
  responseUrl: z.url().optional(),
});
export type RejectMetadata = z.infer<typeof rejectMetadataSchema>;

const REJECT_FIELDS: readonly ModalField[] = [
  { block: REJECT_REASON.block, action: REJECT_REASON.action, read: 'selected_option' },
  ...RATING_FIELDS,
];

const rejectSubmission = z
  .object({
    [REJECT_REASON.block]: z.enum(REJECT_REASONS, { error: 'Choose why you are rejecting this lead.' }),
    ...ratingAnswers,
  })
  .transform((v) => ({
    rejectReason: v[REJECT_REASON.block],
    rating: v[BLOCK.rating],
    salesReady: v[BLOCK.salesReady],
    // The reason is the rating's reason too, so the digest counts it with the rest.
    reasons: [v[REJECT_REASON.block]] as ReasonCode[],
    comment: v[BLOCK.comment],
  }));

export type RejectSubmission = z.output<typeof rejectSubmission>;

/** Validates a submitted reject modal: errors are keyed by the block at fault. */
export function parseRejectSubmission(values: ViewStateValues) {
  return parseModal(rejectSubmission, values, REJECT_FIELDS);
}

export function parseRejectMetadata(raw: string | undefined): Partial<RejectMetadata> {
  return parseMetadata(rejectMetadataSchema, raw);
}
