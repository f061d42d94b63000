/**
 * Event time per object: CRMs redeliver and reorder, so each campaign, deal and lead keeps the time of the newest
 * event applied to it (`source_updated_at`), and an older event changes nothing. An event without `occurred_at`
 * is as new as its receipt: receipt order stands.
 */

/** Whether an event that occurred at `occurredAt` is older than the newest one applied to its object. */
export function isStaleEvent(stored: Date | null, occurredAt: string | undefined): boolean {
  return stored !== null && occurredAt !== undefined && new Date(occurredAt).getTime() < stored.getTime();
}

/** The object's time after applying a (not stale) event: the event's, or its receipt's, never going back. */
export function nextSourceTime(stored: Date | null, occurredAt: string | undefined, now = new Date()): Date {
  const at = occurredAt === undefined ? now : new Date(occurredAt);
  return stored !== null && stored.getTime() > at.getTime() ? stored : at;
}
