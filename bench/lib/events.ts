/** Lead-handoff events as a CRM would send them, signed the way test/support/webhooks.ts (and the README) sign. */

import type { Agent } from 'node:http';
import { handoffEvent, signedHeaders } from '../../test/support/webhooks.js';
import { post, type Reply } from './load.js';

/** Campaigns the events spread over: enough that most events find their campaign already stored. */
const CAMPAIGNS = 10;
export const CAMPAIGN_IDS = Array.from({ length: CAMPAIGNS }, (_, i) => `CMP-${i}`);
export const OWNER = 'UREP0001';

/**
 * A lead-handoff event with every field a CRM typically fills, for a lead of its own (`token` is unique in the
 * run). The owner comes with a Slack id, so no users.lookupByEmail call is involved.
 */
export function leadHandoff(token: string, index: number) {
  return handoffEvent({
    event_id: `evt-${token}`,
    occurred_at: new Date().toISOString(),
    lead: {
      id: `L-${token}`,
      name: `Lead ${token}`,
      email: `lead-${token}@example.com`,
      company: 'Acme Widgets',
      title: 'Head of Operations',
      phone: '+1 555 0100',
      score: 40 + (index % 60),
      source: 'webinar',
      campaign_id: CAMPAIGN_IDS[index % CAMPAIGNS],
      notes: 'Asked for a demo of the enterprise plan after the webinar; evaluating two vendors this quarter.',
      url: `https://crm.example/leads/${token}`,
    },
    owner: { slack_user_id: OWNER },
  });
}

export type LeadHandoff = ReturnType<typeof leadHandoff>;

/** The lead token of a handoff card, from the text Tandem posts ("New lead for <@U…>: Lead <token> at …"). */
export function tokenOfCard(text: unknown): string | undefined {
  return typeof text === 'string' ? /: Lead (\S+)/.exec(text)?.[1] : undefined;
}

/** POSTs an event to /webhooks/lead-handoff with a fresh signature. */
export function sendLeadHandoff(agent: Agent, appUrl: string, event: LeadHandoff): Promise<Reply> {
  const raw = JSON.stringify(event);
  return post(agent, `${appUrl}/webhooks/lead-handoff`, signedHeaders(raw), raw);
}

/** Throws unless the app accepted the event (202): a benchmark of refusals would measure nothing. */
export function expectAccepted(reply: Reply): void {
  if (reply.status !== 202) throw new Error(`lead-handoff answered ${reply.status}: ${reply.body.slice(0, 300)}`);
}
