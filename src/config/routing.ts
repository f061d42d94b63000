import { z } from 'zod';
import { parseWorkingHours, type WorkingHours } from '../features/routing/working-hours.js';
import { optionalString } from './fields.js';

/** How handoffs are routed: reassignment within pools past the SLA, working hours, and burst summaries. */
export const routingEnv = {
  HANDOFF_REASSIGN: optionalString.pipe(
    z
      .enum(['true', 'false'], { error: 'must be true or false' })
      .transform((v) => v === 'true')
      .optional(),
  ),
  MAX_REASSIGNMENTS: z.coerce
    .number({ error: 'must be a whole number, e.g. 2' })
    .int('must be a whole number, e.g. 2')
    .min(0, 'must be 0 or more')
    .default(2),
  HANDOFF_BURST: z.coerce
    .number({ error: 'must be a whole number, e.g. 10' })
    .int('must be a whole number, e.g. 10')
    .min(1, 'must be at least 1')
    .default(10),
  WORKING_HOURS: optionalString.pipe(
    z
      .string()
      .transform((value, ctx) => {
        const parsed = parseWorkingHours(value);
        if (!parsed) {
          ctx.addIssue({ code: 'custom', message: 'must read like Mon-Fri 09:00-17:00 (days, then from-to)' });
          return z.NEVER;
        }
        return parsed;
      })
      .optional(),
  ),
};

export interface RoutingConfig {
  /** Reassign handoffs past twice the SLA within their owner's pool; undefined: yes when any pool exists. */
  readonly reassign: boolean | undefined;
  readonly maxReassignments: number;
  /** More handoffs than this for one owner within 5 minutes are summarised on one card. */
  readonly burst: number;
  /** When the SLA clock runs, in each owner's zone; undefined: always. */
  readonly workingHours: WorkingHours | undefined;
}

export function routingConfig(e: z.output<z.ZodObject<typeof routingEnv>>): RoutingConfig {
  return {
    reassign: e.HANDOFF_REASSIGN,
    maxReassignments: e.MAX_REASSIGNMENTS,
    burst: e.HANDOFF_BURST,
    workingHours: e.WORKING_HOURS,
  };
}
