import type { KnownBlock } from '@slack/types';
import { escapeMrkdwn, mention, personLabel, truncate } from '../../slack/mrkdwn.js';

/** A handoff past its SLA, with what the reminder and the escalation name. */
export interface OverdueHandoff {
  owner_slack_user_id: string | null;
  owner_email: string | null;
  lead_name: string;
  lead_company: string | null;
  campaign_name: string | null;
  /** Seconds between the handoff and the check. */
  waited_seconds: number;
}

interface SlackText {
  text: string;
  blocks: KnownBlock[];
  unfurl_links: false;
}

/** "45 minutes", "26 hours", "3 days": how long a lead has waited, rounded down. */
export function waitedFor(seconds: number): string {
  const minutes = Math.max(0, Math.floor(seconds / 60));
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (minutes < 120) return plural(minutes, 'minute');
  const hours = Math.floor(minutes / 60);
  if (hours < 72) return plural(hours, 'hour');
  return plural(Math.floor(hours / 24), 'day');
}

function leadLabel(h: OverdueHandoff): string {
  const company = h.lead_company ? ` at ${escapeMrkdwn(truncate(h.lead_company, 200))}` : '';
  const campaign = h.campaign_name ? ` (${escapeMrkdwn(truncate(h.campaign_name, 200))})` : '';
  return `*${escapeMrkdwn(truncate(h.lead_name, 200))}*${company}${campaign}`;
}

function message(text: string): SlackText {
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }], unfurl_links: false };
}

/**
 * The reminder to the owner. In the card's thread the lead is the card's (`inThread`); posted in the channel
 * instead (a handoff without a card), it names the lead.
 */
export function slaReminder(h: OverdueHandoff, inThread: boolean): SlackText {
  const owner = personLabel({ slackUserId: h.owner_slack_user_id, email: h.owner_email }, 'Sales team');
  const lead = inThread ? 'this lead' : leadLabel(h);
  return message(
    `:alarm_clock: ${owner} ${lead} has waited ${waitedFor(h.waited_seconds)}: please accept or reject it.`,
  );
}

/** The escalation in SALES_CHANNEL, for the sales manager when one is configured. */
export function slaEscalation(h: OverdueHandoff, managerUserId: string | undefined): SlackText {
  const owner = personLabel({ slackUserId: h.owner_slack_user_id, email: h.owner_email }, 'nobody in particular');
  const to = managerUserId ? `${mention(managerUserId)} ` : '';
  return message(
    `:rotating_light: ${to}${leadLabel(h)} has waited ${waitedFor(h.waited_seconds)} for ${owner} ` +
      'to accept or reject it, twice the handoff SLA.',
  );
}
