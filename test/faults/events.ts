/** A name that no other lead's contains ("Lead 1 Kim" is not part of "Lead 11 Kim"). */
export const leadName = (n: number) => `Lead ${n} Kim`;

/** A lead-handoff webhook body for lead `n` (`L-n`, named by `leadName(n)`), with a new event id each call. */
export const handoffEvent = (n: number, overrides: Record<string, unknown> = {}) => ({
  event_id: `evt-${n}-${Math.random().toString(36).slice(2)}`,
  lead: { id: `L-${n}`, name: leadName(n), email: `lead${n}@example.com`, company: 'Northwind' },
  owner: { slack_user_id: 'UOWNER001' },
  ...overrides,
});
