import '../../zod-setup.js';
import { z } from 'zod';
import { ACTION, BLOCK, MAX_LENGTH } from './ids.js';
import type { CampaignEvent } from './schema.js';

/** The webhook contract's campaign, which the modal fills in so both go through one domain path. */
export type CampaignFields = CampaignEvent['campaign'];

const optionalText = (max: number, label: string) =>
  z
    .string()
    .trim()
    .max(max, { error: `Keep the ${label} under ${max.toLocaleString('en-US')} characters.` })
    .optional()
    .transform((v) => v || undefined);

const date = z.iso.date({ error: 'Pick a date from the calendar.' }).optional();

/** Keys are the modal's block ids, so a failed field maps straight onto `response_action: "errors"`. */
const submissionSchema = z
  .object({
    [BLOCK.name]: z
      .string({ error: 'Give the campaign a name.' })
      .trim()
      .min(1, { error: 'Give the campaign a name.' })
      .max(MAX_LENGTH.name, { error: `Keep the name under ${MAX_LENGTH.name} characters.` }),
    [BLOCK.startsOn]: date,
    [BLOCK.endsOn]: date,
    [BLOCK.audience]: optionalText(MAX_LENGTH.audience, 'audience'),
    [BLOCK.goal]: optionalText(MAX_LENGTH.goal, 'goal'),
    [BLOCK.talkingPoints]: optionalText(MAX_LENGTH.talkingPoints, 'talking points'),
    [BLOCK.offer]: optionalText(MAX_LENGTH.offer, 'offer'),
    // The same rule as the webhook's url: http(s) only, so a `javascript:` link never reaches a message.
    [BLOCK.url]: optionalText(MAX_LENGTH.url, 'link').pipe(
      z.url({ protocol: /^https?$/, error: 'Enter a link starting with https:// (or http://).' }).optional(),
    ),
  })
  .superRefine((v, ctx) => {
    const starts = v[BLOCK.startsOn];
    const ends = v[BLOCK.endsOn];
    // ISO dates compare correctly as strings.
    if (starts && ends && ends < starts) {
      ctx.addIssue({ code: 'custom', path: [BLOCK.endsOn], message: 'The end date is before the start date.' });
    }
  });

/** `view.state.values`, typed loosely: it is untrusted input until parsed. */
type ViewStateValues = Record<string, Record<string, object>>;
export type ParsedCampaignSubmission =
  | { ok: true; value: Omit<CampaignFields, 'id' | 'owner' | 'status'> }
  | { ok: false; errors: Record<string, string> };

/** An element's value, with Slack's `null` for an empty optional input read as absent. */
function read(values: ViewStateValues, block: string, action: string, key: 'value' | 'selected_date'): unknown {
  const state = values[block]?.[action] as Record<string, unknown> | undefined;
  return state?.[key] ?? undefined;
}

const midnightUtc = (day: string | undefined) => (day ? `${day}T00:00:00Z` : undefined);

/**
 * Validates a submitted /campaign modal, whatever Slack's client enforced (a required name, a URL field, dates):
 * a forged or stale payload is answered with an error under the field at fault, never stored.
 */
export function parseCampaignSubmission(values: ViewStateValues): ParsedCampaignSubmission {
  const result = submissionSchema.safeParse({
    [BLOCK.name]: read(values, BLOCK.name, ACTION.name, 'value'),
    [BLOCK.startsOn]: read(values, BLOCK.startsOn, ACTION.startsOn, 'selected_date'),
    [BLOCK.endsOn]: read(values, BLOCK.endsOn, ACTION.endsOn, 'selected_date'),
    [BLOCK.audience]: read(values, BLOCK.audience, ACTION.audience, 'value'),
    [BLOCK.goal]: read(values, BLOCK.goal, ACTION.goal, 'value'),
    [BLOCK.talkingPoints]: read(values, BLOCK.talkingPoints, ACTION.talkingPoints, 'value'),
    [BLOCK.offer]: read(values, BLOCK.offer, ACTION.offer, 'value'),
    [BLOCK.url]: read(values, BLOCK.url, ACTION.url, 'value'),
  });
  if (!result.success) {
    const errors: Record<string, string> = {};
    for (const issue of result.error.issues) errors[String(issue.path[0])] ??= issue.message;
    return { ok: false, errors };
  }
  const v = result.data;
  return {
    ok: true,
    value: {
      name: v[BLOCK.name],
      starts_at: midnightUtc(v[BLOCK.startsOn]),
      ends_at: midnightUtc(v[BLOCK.endsOn]),
      audience: v[BLOCK.audience],
      goal: v[BLOCK.goal],
      talking_points: v[BLOCK.talkingPoints],
      offer: v[BLOCK.offer],
      url: v[BLOCK.url],
      // Not asked in the modal: the webhook's marketing channel and budget are for the CRM to send.
      channel: undefined,
      budget: undefined,
    },
  };
}

/** Metadata is ours, but it round-trips through Slack: parse it, and treat anything odd as absent. */
export function parseCampaignMetadata(raw: string | undefined): { responseUrl?: string } {
  try {
    const parsed = z.object({ responseUrl: z.url().optional() }).safeParse(JSON.parse(raw || '{}'));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}
