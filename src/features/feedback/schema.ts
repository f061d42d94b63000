import { z } from 'zod';
import { type ModalField, parseMetadata, parseModal, type ViewStateValues } from '../../slack/modal.js';
import { ACTION, BLOCK, COMMENT_MAX, LEAD_SELECT, RATINGS, REASONS, type ReasonCode } from './ids.js';

/** What the feedback modal carries between opening and submission (≤ 3000 characters). */
export const feedbackMetadataSchema = z.object({
  /** The slash command's response_url, for an ephemeral confirmation where the rep typed. */
  responseUrl: z.url().optional(),
  /** The handoff being rated, when the modal was opened from a handoff card. */
  handoffId: z.uuid().optional(),
});
export type FeedbackMetadata = z.infer<typeof feedbackMetadataSchema>;

/** The questions every lead rating asks, here and in the handoff's reject modal. */
export const RATING_FIELDS: readonly ModalField[] = [
  { block: BLOCK.rating, action: ACTION.rating, read: 'selected_option' },
  { block: BLOCK.salesReady, action: ACTION.salesReady, read: 'selected_option' },
  { block: BLOCK.comment, action: ACTION.comment, read: 'value' },
];

/** Their answers' rules, keyed by block id like every modal schema. */
export const ratingAnswers = {
  [BLOCK.rating]: z.enum(RATINGS, { error: 'Choose a rating from 1 to 5.' }).transform(Number),
  [BLOCK.salesReady]: z
    .enum(['yes', 'no'], { error: 'Say whether the lead was sales-ready.' })
    .transform((v) => v === 'yes'),
  [BLOCK.comment]: z
    .string()
    .trim()
    .max(COMMENT_MAX, { error: `Keep the comment under ${COMMENT_MAX.toLocaleString('en-US')} characters.` })
    .nullish()
    .transform((v) => v || null),
};

const FEEDBACK_FIELDS: readonly ModalField[] = [
  { block: BLOCK.lead, action: LEAD_SELECT, read: 'selected_option' },
  ...RATING_FIELDS,
  { block: BLOCK.reasons, action: ACTION.reasons, read: 'selected_options' },
];

const reasonCodes = Object.keys(REASONS) as [ReasonCode, ...ReasonCode[]];

const feedbackSubmission = z
  .object({
    [BLOCK.lead]: z.uuid({ error: 'Pick the lead you are rating.' }),
    ...ratingAnswers,
    [BLOCK.reasons]: z.array(z.enum(reasonCodes, { error: 'Pick reasons from the list.' })).default([]),
  })
  .transform((v) => ({
    leadId: v[BLOCK.lead],
    rating: v[BLOCK.rating],
    salesReady: v[BLOCK.salesReady],
    reasons: v[BLOCK.reasons],
    comment: v[BLOCK.comment],
  }));

export type FeedbackSubmission = z.output<typeof feedbackSubmission>;

/** Validates a submitted feedback modal: errors are keyed by the block at fault. */
export function parseFeedbackSubmission(values: ViewStateValues) {
  return parseModal(feedbackSubmission, values, FEEDBACK_FIELDS);
}

export function parseFeedbackMetadata(raw: string | undefined): FeedbackMetadata {
  return parseMetadata(feedbackMetadataSchema, raw);
}
