import type { Deps } from '../../deps.js';
import type { Job } from '../../scheduler.js';

/** SLA reminders and escalations for handoffs nobody acted on. */
export function slaJobs(_deps: Deps): Job[] {
  return [];
}
