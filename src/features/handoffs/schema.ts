import { z } from 'zod';
import { eventId, httpUrl, optionalText, owner, requiredText, timestamp } from '../webhook-fields.js';

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
