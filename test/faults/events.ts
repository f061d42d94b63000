import { handoffEvent } from '../support/webhooks.js';

/** A name that no other lead's contains ("Lead 1 Kim" is not part of "Lead 11 Kim"). */
export const leadName = (n: number) => `Lead ${n} Kim`;

/** A lead-handoff webhook body for lead `n` (`L-n`, named by `leadName(n)`), with a new event id each call. */
export const numberedHandoff = (n: number, fields: Record<string, unknown> = {}) =>
  handoffEvent({
    lead: { id: `L-${n}`, name: leadName(n), email: `lead${n}@example.com`, company: 'Northwind' },
    owner: { slack_user_id: 'UOWNER001' },
    ...fields,
  });

/**
 * These tests hand many leads to one rep at once and count a card per lead: above HANDOFF_BURST (10 by default)
 * routing would put the rest on one summary card, which is not what they are about.
 */
export const ONE_CARD_PER_LEAD = { HANDOFF_BURST: '1000' };
