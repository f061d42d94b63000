import { z } from 'zod';
import { ACTION, BLOCK, COMMENT_MAX, LEAD_SELECT, RATINGS, REASONS, REJECT_REASONS, type ReasonCode } from './ids.js';

/** What the modal carries between opening and submission (≤ 3000 characters). */
export const feedbackMetadataSchema = z.object({
  /** The channel the command was typed in, for the confirmation. */
  channelId: z.string().optional(),
  /** The slash command's response_url, for an ephemeral confirmation where the rep typed. */
  responseUrl: z.url().optional(),
  /** The handoff being rated, when the modal was opened from a handoff card. */
  handoffId: z.uuid().optional(),
  /** The lead, when the modal shows it fixed rather than in a picker (rejecting a handoff). */
  leadId: z.uuid().optional(),
});
export type FeedbackMetadata = z.infer<typeof feedbackMetadataSchema>;

const reasonCodes = Object.keys(REASONS) as [ReasonCode, ...ReasonCode[]];

/** Keys are the modal's block ids, so a failed field maps straight onto `response_action: "errors"`. */
const submissionSchema = z.object({
  [BLOCK.lead]: z.uuid({ error: 'Pick the lead you are rating.' }),
  [BLOCK.rating]: z.enum(RATINGS, { error: 'Choose a rating from 1 to 5.' }).transform(Number),
  [BLOCK.salesReady]: z
    .enum(['yes', 'no'], { error: 'Say whether the lead was sales-ready.' })
    .transform((v) => v === 'yes'),
  [BLOCK.reasons]: z.array(z.enum(reasonCodes, { error: 'Pick reasons from the list.' })).default([]),
  [BLOCK.comment]: z
    .string()
    .trim()
    .max(COMMENT_MAX, { error: `Keep the comment under ${COMMENT_MAX.toLocaleString('en-US')} characters.` })
    .transform((v) => v || null)
    .nullish()
    .transform((v) => v ?? null),
});

const rejectionSchema = submissionSchema.extend({
  [BLOCK.rejectReason]: z.enum(REJECT_REASONS, { error: 'Choose why you are rejecting this lead.' }),
});

export interface FeedbackSubmission {
  leadId: string;
  rating: number;
  salesReady: boolean;
  reasons: ReasonCode[];
  comment: string | null;
  /** Only when rejecting a handoff. */
  rejectReason?: ReasonCode;
}

/** `view.state.values`, typed loosely: it is untrusted input until parsed. */
type ViewStateValues = Record<string, Record<string, object>>;
type Parsed = { ok: true; value: FeedbackSubmission } | { ok: false; errors: Record<string, string> };

function element(values: ViewStateValues, block: string, action: string): Record<string, unknown> | undefined {
  return values[block]?.[action] as Record<string, unknown> | undefined;
}

function selectedValue(state: Record<string, unknown> | undefined): unknown {
  const option = state?.selected_option as { value?: unknown } | null | undefined;
  return option?.value;
}

/**
 * Validates a submitted feedback modal, whatever Slack's client enforced: a forged or stale payload is
 * answered with an error under the field at fault, never stored.
 */
export function parseFeedbackSubmission(
  values: ViewStateValues,
  options: { leadId?: string | undefined; rejecting?: boolean } = {},
): Parsed {
  const reasons = element(values, BLOCK.reasons, ACTION.reasons)?.selected_options;
  const schema = options.rejecting ? rejectionSchema : submissionSchema;
  const result = schema.safeParse({
    [BLOCK.lead]: options.leadId ?? selectedValue(element(values, BLOCK.lead, LEAD_SELECT)),
    [BLOCK.rejectReason]: selectedValue(element(values, BLOCK.rejectReason, ACTION.rejectReason)),
    [BLOCK.rating]: selectedValue(element(values, BLOCK.rating, ACTION.rating)),
    [BLOCK.salesReady]: selectedValue(element(values, BLOCK.salesReady, ACTION.salesReady)),
    [BLOCK.reasons]: Array.isArray(reasons) ? reasons.map((o) => (o as { value?: unknown })?.value) : undefined,
    [BLOCK.comment]: element(values, BLOCK.comment, ACTION.comment)?.value,
  });
  if (!result.success) {
    const errors: Record<string, string> = {};
    for (const issue of result.error.issues) {
      const block = String(issue.path[0]);
      errors[block] ??= issue.message;
    }
    return { ok: false, errors };
  }
  const v = result.data;
  const rejectReason = (v as { [BLOCK.rejectReason]?: ReasonCode })[BLOCK.rejectReason];
  return {
    ok: true,
    value: {
      leadId: v[BLOCK.lead],
      rating: v[BLOCK.rating],
      salesReady: v[BLOCK.salesReady],
      // A rejection's reason is one of its reasons too, so it is counted with the rest.
      reasons: rejectReason ? [...new Set<ReasonCode>([rejectReason, ...v[BLOCK.reasons]])] : v[BLOCK.reasons],
      comment: v[BLOCK.comment],
      ...(rejectReason ? { rejectReason } : {}),
    },
  };
}

/** Metadata is ours, but it round-trips through Slack: parse it, and treat anything odd as absent. */
export function parseFeedbackMetadata(raw: string | undefined): FeedbackMetadata {
  try {
    const parsed = feedbackMetadataSchema.safeParse(JSON.parse(raw || '{}'));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}
