import { dealClosedEvent } from '../features/deals/schema.js';
import { leadHandoffEvent } from '../features/handoffs/schema.js';

/**
 * The domain's handoff and closed deal without their owner: connectors validate what the CRM sent with these and
 * add the owner found through the identity map (who may have no email, and so could not pass the native schema).
 */
export const ownerlessHandoff = leadHandoffEvent.omit({ owner: true });
export const ownerlessDeal = dealClosedEvent
  .omit({ deal: true })
  .extend({ deal: dealClosedEvent.shape.deal.omit({ owner: true }) });

/** What a CRM object means for Tandem: a domain event, nothing (and why), or data the domain would refuse. */
export type Translation<Event> = { event: Event } | { skip: string } | { invalid: string };

/** The owner an object names, to be found through the identity map; the domain event waits for their email. */
export interface Owned<Event> {
  event: Event;
  ownerId: string | undefined;
}

interface Issue {
  path: PropertyKey[];
  message: string;
}

/** The domain's own schema decides: a translated event the native webhook would refuse is `invalid`, with why. */
export function validate<T>(
  schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: Issue[] } } },
  value: unknown,
): Translation<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return { event: parsed.data };
  return { invalid: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
}

/** A CRM field as text: trimmed, and absent when empty, null or not a string or number. */
export function text(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed ? trimmed : undefined;
}

/** A date-time as ISO, from an ISO string or epoch milliseconds; undefined when it is neither. */
export function isoDate(value: unknown): string | undefined {
  const v = text(value);
  if (!v) return undefined;
  const date = new Date(/^\d+$/.test(v) ? Number(v) : v);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}
