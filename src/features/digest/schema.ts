import { z } from 'zod';

/** The longest period GET /api/digest computes in one request. */
export const MAX_RANGE_DAYS = 366;
const DAY_MS = 24 * 3_600_000;

const instant = z
  .union([z.iso.datetime({ offset: true }), z.iso.date()], {
    error: 'must be an ISO 8601 date or date-time, e.g. 2026-11-16T00:00:00Z',
  })
  .transform((text) => new Date(text))
  .optional();

/**
 * `?from=&to=&format=` of GET /api/digest: ISO instants, from before to, at most MAX_RANGE_DAYS apart; default the
 * last 7 days. `format` (json or csv) is left undefined when absent, for the Accept header to decide.
 */
export function digestQuery(now: Date) {
  return z
    .object({ from: instant, to: instant, format: z.enum(['json', 'csv']).optional() })
    .transform(({ from, to, format }) => {
      const end = to ?? now;
      return { from: from ?? new Date(end.getTime() - 7 * DAY_MS), to: end, format };
    })
    .superRefine(({ from, to }, ctx) => {
      if (from.getTime() >= to.getTime()) {
        ctx.addIssue({ code: 'custom', path: ['from'], message: 'must be before to' });
      } else if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * DAY_MS) {
        ctx.addIssue({ code: 'custom', path: ['from'], message: `must be at most ${MAX_RANGE_DAYS} days before to` });
      }
    });
}
