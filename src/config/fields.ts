import '../zod-setup.js';
import cron from 'node-cron';
import { z } from 'zod';

/** Building blocks of the environment's schema, shared by Tandem's own settings and the connectors'. */

export const channelId = z
  .string()
  .trim()
  .regex(/^[CGD][A-Z0-9]{2,}$/, 'must be a Slack channel id such as C0123456789 (not a #name)');

export const optionalString = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

export const cronExpression = z
  .string()
  .trim()
  .refine((expr) => cron.validate(expr), 'must be a cron expression (5 fields, or 6 with seconds)');

/** Comma-separated Slack user (U…, W…) or user-group (S…) ids; empty or unset: anyone. */
export const slackIdList = optionalString.pipe(
  z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((id) => id.trim())
        .filter((id) => id !== ''),
    )
    .pipe(
      z
        .array(z.string())
        .refine(
          (ids) => ids.every((id) => /^[UWS][A-Z0-9]{2,}$/.test(id)),
          'must list Slack user ids (U0123ABCD) or user group ids (S0123ABCD), comma-separated',
        ),
    )
    .optional(),
);

const currencyCodes = new Set(Intl.supportedValuesOf('currency'));

export const currency = z
  .string()
  .toUpperCase()
  .refine((c) => currencyCodes.has(c), 'must be an ISO 4217 currency code such as USD or EUR')
  .default('USD');

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
