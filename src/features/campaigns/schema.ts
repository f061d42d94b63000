import { z } from 'zod';
import { eventId, httpUrl, optionalText, owner, requiredText, timestamp } from '../webhook-fields.js';

export const CAMPAIGN_STATUSES = ['planned', 'launched', 'updated', 'ended'] as const;

/** `POST /webhooks/campaign`: marketing plans, launches, changes or ends a campaign. */
export const campaignEvent = z.object({
  event_id: eventId,
  campaign: z.object({
    id: requiredText(200),
    name: requiredText(300),
    status: z.enum(CAMPAIGN_STATUSES).default('launched'),
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
