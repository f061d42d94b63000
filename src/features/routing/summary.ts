import type { KnownBlock } from '@slack/types';
import {
  context,
  escapedWithin,
  mention,
  personLabel,
  plural,
  section,
  truncateMrkdwn,
  waitedFor,
} from '../../slack/kit/index.js';
import type { OverdueHandoff } from '../handoffs/blocks.js';

/** A lead listed on a burst summary card. */
export interface SummarisedLead {
  lead_name: string;
  lead_company: string | null;
  campaign_name: string | null;
}

const SECTION_MAX = 3000;

function leadLine(l: SummarisedLead): string {
  const company = l.lead_company ? ` at ${escapedWithin(l.lead_company, 100)}` : '';
  const campaign = l.campaign_name ? ` · ${escapedWithin(l.campaign_name, 100)}` : '';
  return `• *${escapedWithin(l.lead_name, 150)}*${company}${campaign}`;
}

/** As many lines as fit in one section, and how many did not. */
function fitLines(lines: string[], max = SECTION_MAX - 100): { text: string; left: number } {
  let text = '';
  let shown = 0;
  for (const line of lines) {
    if (text.length + line.length + 1 > max) break;
    text = text ? `${text}\n${line}` : line;
    shown++;
  }
  return { text, left: lines.length - shown };
}

/**
 * The one card for the leads past an owner's burst (`who`: their label, already mrkdwn) in a 5-minute window: how many, names and campaigns as far as
 * Slack's limits allow (the newest `leads` shown), and where to act on them. Rewritten in place as more arrive.
 */
export function burstSummaryCard(who: string, total: number, leads: SummarisedLead[]) {
  const headline = `:inbox_tray: ${plural(total, 'more lead')} for ${who}: too many at once for a card each.`;
  const { text, left } = fitLines(leads.map(leadLine));
  const notShown = total - leads.length + left;
  const blocks: KnownBlock[] = [section(truncateMrkdwn(headline, SECTION_MAX))];
  if (text) blocks.push(section(text));
  blocks.push(
    context(
      `${notShown > 0 ? `…and ${plural(notShown, 'more lead')}. ` : ''}Open Tandem’s Home tab to accept or reject each of them.`,
    ),
  );
  return { text: `${plural(total, 'more lead')} for ${who}`, blocks, unfurl_links: false as const };
}

/** Who a summary's reminder is for: the owner of the first lead (a summary is one owner's). */
function ownerOf(group: OverdueHandoff[]): string {
  const [h] = group;
  return personLabel({ slackUserId: h?.owner_slack_user_id, email: h?.owner_email }, 'Sales team');
}

function names(group: OverdueHandoff[]): string {
  return fitLines(
    group.map((h) =>
      leadLine({ lead_name: h.lead_name, lead_company: h.lead_company, campaign_name: h.campaign_name }),
    ),
    2000,
  ).text;
}

/** One reminder for all of an owner's summarised leads past the SLA, in the summary card's thread. */
export function summaryReminder(group: OverdueHandoff[]) {
  const longest = Math.max(...group.map((h) => h.waited_seconds));
  const text =
    `:alarm_clock: ${ownerOf(group)} ${plural(group.length, 'lead')} from this summary have waited up to ` +
    `${waitedFor(longest)}: please accept or reject them from Tandem’s Home tab.`;
  return { text, blocks: [section(text), section(names(group))] as KnownBlock[], unfurl_links: false as const };
}

/** One escalation for all of an owner's summarised leads past twice the SLA, in the summary card's thread. */
export function summaryEscalation(group: OverdueHandoff[], managerUserId: string | undefined) {
  const to = managerUserId ? `${mention(managerUserId)} ` : '';
  const text =
    `:rotating_light: ${to}${plural(group.length, 'lead')} from this summary have waited twice the handoff SLA ` +
    `for ${ownerOf(group)} to accept or reject them.`;
  return { text, blocks: [section(text), section(names(group))] as KnownBlock[], unfurl_links: false as const };
}
