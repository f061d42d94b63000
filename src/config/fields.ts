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

export const portNumber = z.coerce
  .number({ error: 'must be a port number from 0 to 65535' })
  .int('must be a port number from 0 to 65535')
  .min(0, 'must be a port number from 0 to 65535')
  .max(65535, 'must be a port number from 0 to 65535');

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

/** A list with something in it, else undefined (an empty restriction means none). */
export const nonEmpty = (ids: string[] | undefined) => (ids && ids.length > 0 ? ids : undefined);

/** The config is read-only all the way down: a feature cannot change a setting for the others. */
export function deepFreeze<T extends object>(value: T): T {
  for (const child of Object.values(value)) {
    if (child && typeof child === 'object') deepFreeze(child);
  }
  return Object.freeze(value);
}
