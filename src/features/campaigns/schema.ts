import '../../zod-setup.js';
import { z } from 'zod';
import { type ModalField, parseMetadata, parseModal, type ViewStateValues } from '../../slack/modal.js';
import { eventId, httpUrl, optionalText, owner, requiredText, timestamp } from '../webhook-fields.js';
import { ACTION, BLOCK, MAX_LENGTH } from './ids.js';

export const CAMPAIGN_STATUSES = ['planned', 'launched', 'updated', 'ended'] as const;

/** `POST /webhooks/campaign`: marketing plans, launches, changes or ends a campaign. */
export const campaignEvent = z.object({
  event_id: eventId,
  /** When the CRM changed the campaign; an event older than the newest applied to the campaign is stale. */
  occurred_at: timestamp.optional(),
  campaign: z.object({
    id: requiredText(200),
    name: requiredText(300),
    // Absent means launched; kept absent here so that only an explicit `launched` reopens an ended campaign.
    status: z
      .enum(CAMPAIGN_STATUSES)
      .optional()
      .meta({ description: 'Default "launched"; only an explicit "launched" reopens an ended campaign.' }),
    channel: optionalText(200),
    starts_at: timestamp.optional(),
    ends_at: timestamp.optional(),
    audience: optionalText(1000),
    goal: optionalText(1000),
    talking_points: optionalText(3000),
    offer: optionalText(1000),
    url: httpUrl,
    budget: z.number().min(0).max(1e13).optional(),
    owner: owner.optional(),
  }),
});

export type CampaignEvent = z.infer<typeof campaignEvent>;

/** The webhook contract's campaign, which the modal fills in so both go through one domain path. */
export type CampaignFields = CampaignEvent['campaign'];

/** What the /campaign modal carries to its submission: where to confirm. */
export const campaignMetadataSchema = z.object({ responseUrl: z.url().optional() });
export type CampaignMetadata = z.infer<typeof campaignMetadataSchema>;

const CAMPAIGN_FIELDS: readonly ModalField[] = [
  { block: BLOCK.name, action: ACTION.name, read: 'value' },
  { block: BLOCK.startsOn, action: ACTION.startsOn, read: 'selected_date' },
  { block: BLOCK.endsOn, action: ACTION.endsOn, read: 'selected_date' },
  { block: BLOCK.audience, action: ACTION.audience, read: 'value' },
  { block: BLOCK.goal, action: ACTION.goal, read: 'value' },
  { block: BLOCK.talkingPoints, action: ACTION.talkingPoints, read: 'value' },
  { block: BLOCK.offer, action: ACTION.offer, read: 'value' },
  { block: BLOCK.url, action: ACTION.url, read: 'value' },
];

const modalText = (max: number, label: string) =>
  z
    .string()
    .trim()
    .max(max, { error: `Keep the ${label} under ${max.toLocaleString('en-US')} characters.` })
    .optional()
    .transform((v) => v || undefined);

const modalDate = z.iso.date({ error: 'Pick a date from the calendar.' }).optional();
const midnightUtc = (day: string | undefined) => (day ? `${day}T00:00:00Z` : undefined);

const campaignSubmission = z
  .object({
    [BLOCK.name]: z
      .string({ error: 'Give the campaign a name.' })
      .trim()
      .min(1, { error: 'Give the campaign a name.' })
      .max(MAX_LENGTH.name, { error: `Keep the name under ${MAX_LENGTH.name} characters.` }),
    [BLOCK.startsOn]: modalDate,
    [BLOCK.endsOn]: modalDate,
    [BLOCK.audience]: modalText(MAX_LENGTH.audience, 'audience'),
    [BLOCK.goal]: modalText(MAX_LENGTH.goal, 'goal'),
    [BLOCK.talkingPoints]: modalText(MAX_LENGTH.talkingPoints, 'talking points'),
    [BLOCK.offer]: modalText(MAX_LENGTH.offer, 'offer'),
    // The same rule as the webhook's url: http(s) only, so a `javascript:` link never reaches a message.
    [BLOCK.url]: modalText(MAX_LENGTH.url, 'link').pipe(
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
  })
  .transform(
    (v): Omit<CampaignFields, 'id' | 'owner' | 'status'> => ({
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
    }),
  );

/**
 * Validates a submitted /campaign modal, whatever Slack's client enforced (a required name, a URL field, dates):
 * a forged or stale payload is answered with an error under the field at fault, never stored.
 */
export function parseCampaignSubmission(values: ViewStateValues) {
  return parseModal(campaignSubmission, values, CAMPAIGN_FIELDS);
}

export function parseCampaignMetadata(raw: string | undefined): CampaignMetadata {
  return parseMetadata(campaignMetadataSchema, raw);
}
