/** What a CRM object means for Tandem: a domain event, nothing (and why), or data the domain would refuse. */
export type Translation<Event> = { event: Event } | { skip: string } | { invalid: string };

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
