import type { KnownBlock, MrkdwnElement } from '@slack/types';
import type { Campaign, Deal, Lead } from '../../db/schema.js';
import {
  calendarDay,
  context,
  daysBetween,
  escapedWithin,
  field,
  formatMoney,
  link,
  mrkdwn,
  personLabel,
  section,
  stars,
  truncate,
} from '../../slack/kit/index.js';

export interface CelebrationInput {
  deal: Pick<
    Deal,
    'crm_id' | 'name' | 'company' | 'amount' | 'currency' | 'closed_at' | 'owner_email' | 'owner_slack_user_id' | 'url'
  >;
  lead?: Pick<Lead, 'crm_id' | 'name' | 'url'> | undefined;
  campaign?: Pick<Campaign, 'name' | 'url' | 'owner_email' | 'owner_slack_user_id'> | undefined;
  /** When the lead's most recent handoff happened. */
  handedOffAt?: Date | undefined;
  /** The latest 1–5 rating sales gave the lead. */
  rating?: number | undefined;
}

/** An email is bounded (320) but escaping may grow it; keep people short so texts stay within limits. */
const person = (slackUserId: string | null, email: string | null, fallback?: string) =>
  personLabel({ slackUserId, email: email ? truncate(email, 100) : null }, fallback);

function handoffText(handedOffAt: Date, closedAt: Date): string {
  const days = daysBetween(handedOffAt, closedAt);
  const toClose = days === 0 ? 'closed the same day' : days === 1 ? '1 day to close' : `${days} days to close`;
  // A handoff after the close (a lead handed off again) says nothing about how long this deal took.
  return days < 0 ? calendarDay(handedOffAt) : `${calendarDay(handedOffAt)} · ${toClose}`;
}

/**
 * The win celebration in WINS_CHANNEL: the deal, its amount, the rep who closed it and how marketing got the lead
 * (campaign and its marketer, handoff date and days to close, sales' rating of the lead). Says so when no campaign
 * is known rather than guessing one.
 */
export function dealCelebration(input: CelebrationInput): { text: string; blocks: KnownBlock[] } {
  const { deal, lead, campaign, handedOffAt, rating } = input;
  const amount = formatMoney(deal.amount, deal.currency);
  const dealName = escapedWithin(deal.name, 200);
  const company = deal.company ? escapedWithin(deal.company, 150) : undefined;
  const rep = person(deal.owner_slack_user_id, deal.owner_email);

  const fields: MrkdwnElement[] = [];
  if (campaign) {
    const marketer = person(campaign.owner_slack_user_id, campaign.owner_email, '_not on record_');
    fields.push(field(`*Campaign*\n${link(campaign.url, truncate(campaign.name, 150))}\nMarketer: ${marketer}`));
  }
  if (handedOffAt) fields.push(field(`*Handed off*\n${handoffText(handedOffAt, deal.closed_at)}`));
  if (rating !== undefined) fields.push(field(`*Lead quality*\n${stars(rating)} ${rating}/5`));

  const blocks: KnownBlock[] = [
    {
      type: 'header',
      // No outside text here: plain_text cannot be escaped, and a raw `<!channel>` in the payload alarms readers.
      text: { type: 'plain_text', text: `🎉 Closed won: ${amount}`, emoji: true },
    },
    section(`*${dealName}*${company ? ` · ${company}` : ''}\n*${amount}* closed by ${rep}`),
    {
      type: 'section',
      text: mrkdwn(
        campaign ? '*How marketing got the lead*' : '*How marketing got the lead*\nSourced outside a tracked campaign',
      ),
      ...(fields.length > 0 ? { fields } : {}),
    },
  ];
  const details = [`Deal ${link(deal.url, truncate(deal.crm_id, 100))}`, `closed ${calendarDay(deal.closed_at)}`];
  if (lead) details.push(`lead ${link(lead.url, truncate(`${lead.name} (${lead.crm_id})`, 150))}`);
  blocks.push(context(details.join(' · ')));

  const source = campaign
    ? ` · campaign ${escapedWithin(campaign.name, 150)}`
    : ' · sourced outside a tracked campaign';
  const text = `🎉 ${rep} closed ${dealName}${company ? ` (${company})` : ''} for ${amount}${source}`;
  return { text, blocks };
}

/**
 * The celebration of a won deal that was reopened and lost: what it said, struck through, under a line saying so,
 * so the channel is not left cheering a deal the company did not get. Header text cannot be struck through
 * (plain_text), so the header becomes a struck mrkdwn line.
 */
export function lostCelebration(
  celebration: { text: string; blocks: KnownBlock[] },
  deal: Pick<Deal, 'lost_reason' | 'source_updated_at' | 'updated_at'>,
): { text: string; blocks: KnownBlock[] } {
  const lostOn = calendarDay(deal.source_updated_at ?? deal.updated_at);
  const reason = deal.lost_reason ? `: ${escapedWithin(deal.lost_reason, 500)}` : '';
  const notice = `:x: *Reopened and lost* ${lostOn}${reason}`;
  const struck = celebration.blocks.map((block): KnownBlock => {
    if (block.type === 'header') return section(strike(block.text.text));
    if (block.type === 'section' && block.text?.type === 'mrkdwn') {
      return { ...block, text: mrkdwn(strike(block.text.text)) };
    }
    return block;
  });
  return { text: `Reopened and lost ${lostOn}: ${strike(celebration.text)}`, blocks: [section(notice), ...struck] };
}

/** Strikes through each line (mrkdwn's `~` does not span lines); blank lines stay blank. */
function strike(text: string): string {
  return text
    .split('\n')
    .map((line) => (line.trim() ? `~${line}~` : line))
    .join('\n');
}
