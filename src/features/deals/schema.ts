import { z } from 'zod';
import { email, eventId, httpUrl, optionalText, owner, requiredText, timestamp } from '../webhook-fields.js';

const currencyCodes = new Set(Intl.supportedValuesOf('currency'));

/** `POST /webhooks/deal-closed`: the CRM closed a deal, won or lost. */
export const dealClosedEvent = z.object({
  event_id: eventId,
  /** When the CRM changed the deal; an event older than the newest applied to the deal is stale. */
  occurred_at: timestamp.optional(),
  deal: z.object({
    id: requiredText(200),
    name: requiredText(500),
    amount: z.number().min(0, 'must be 0 or more').max(1e13, 'is too large'),
    currency: z
      .string()
      .trim()
      .toUpperCase()
      .refine((c) => currencyCodes.has(c), 'must be an ISO 4217 currency code such as USD or EUR')
      .default('USD'),
    closed_at: timestamp.optional(),
    company: optionalText(500),
    lead_id: optionalText(200),
    lead_email: z.string().trim().pipe(email).optional(),
    campaign_id: optionalText(200),
    stage: z.enum(['won', 'lost']).default('won'),
    lost_reason: optionalText(1000),
    /** The deal in the CRM, linked from the celebration. */
    url: httpUrl,
    owner,
  }),
});

export type DealClosedEvent = z.infer<typeof dealClosedEvent>;
