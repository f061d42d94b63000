import '../zod-setup.js';
import { z } from 'zod';

/** Building blocks shared by the webhook payload schemas: strings are trimmed, empty optional ones dropped. */

export const requiredText = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);

export const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .transform((v) => (v === '' ? undefined : v));

export const eventId = requiredText(200);

export const timestamp = z.iso.datetime({
  offset: true,
  error: 'must be an ISO 8601 date-time, e.g. 2026-11-23T09:00:00Z',
});

export const httpUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
  .max(2000)
  .optional();

export const email = z.email({ error: 'must be an email address' }).max(320);

/** Someone named by the CRM: at least one of an email or a Slack user id. */
export const owner = z
  .object({
    email: z.string().trim().pipe(email).optional(),
    slack_user_id: z
      .string()
      .trim()
      .regex(/^[UW][A-Z0-9]{2,}$/, 'must be a Slack user id such as U0123ABCD')
      .optional(),
  })
  .refine((o) => o.email !== undefined || o.slack_user_id !== undefined, {
    message: 'needs an email or a slack_user_id',
  })
  .meta({ description: 'The person responsible: at least one of email or slack_user_id.' });
