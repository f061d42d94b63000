import type { KnownBlock, MrkdwnElement } from '@slack/types';
import type { Campaign, Deal, Lead } from '../../db/schema.js';
import { escapeMrkdwn, link, personLabel, stars, truncate } from '../../slack/mrkdwn.js';
import { formatMoney } from './money.js';

const DAY_MS = 86_400_000;
/** A link whose URL would crowd Slack's text limits (fields 2000, context 3000) is shown as its label only. */
const LINK_MAX = 1_000;

const dayFormat = new Intl.DateTimeFormat('en-US', {
  month: 'short',
  day: 'numeric',
  year: 'numeric',
  timeZone: 'UTC',
});

/** `Nov 3, 2026`: the calendar day in UTC, the same for every reader and in the plain-text fallback. */
export function formatDay(date: Date): string {
  return dayFormat.format(date);
}

/** Whole calendar days (UTC) from `from` to `to`; negative when `to` is earlier. */
export function daysBetween(from: Date, to: Date): number {
  const day = (d: Date) => Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  return Math.round((day(to) - day(from)) / DAY_MS);
}

export interface CelebrationInput {
  deal: Pick<
    Deal,
    'crm_id' | 'name' | 'company' | 'amount' | 'currency' | 'closed_at' | 'owner_email' | 'owner_slack_user_id'
  >;
  lead?: Pick<Lead, 'crm_id' | 'name' | 'url'> | undefined;
  campaign?: Pick<Campaign, 'name' | 'url' | 'owner_email' | 'owner_slack_user_id'> | undefined;
  /** When the lead's most recent handoff happened. */
  handedOffAt?: Date | undefined;
  /** The latest 1–5 rating sales gave the lead. */
  rating?: number | undefined;
}

const mrkdwn = (text: string): MrkdwnElement => ({ type: 'mrkdwn', text });

function shortLink(url: string | null, label: string): string {
  const linked = link(url, label);
  return linked.length <= LINK_MAX ? linked : link(null, label);
}

/** An email is bounded (320) but escaping may grow it; keep people short so texts stay within limits. */
const person = (slackUserId: string | null, email: string | null, fallback?: string) =>
  personLabel({ slackUserId, email: email ? truncate(email, 100) : null }, fallback);

function handoffText(handedOffAt: Date, closedAt: Date): string {
  const days = daysBetween(handedOffAt, closedAt);
  const toClose = days === 0 ? 'closed the same day' : days === 1 ? '1 day to close' : `${days} days to close`;
  // A handoff after the close (a lead handed off again) says nothing about how long this deal took.
  return days < 0 ? formatDay(handedOffAt) : `${formatDay(handedOffAt)} · ${toClose}`;
}

/**
 * The win celebration in WINS_CHANNEL: the deal, its amount, the rep who closed it and how marketing got the lead
 * (campaign and its marketer, handoff date and days to close, sales' rating of the lead). Says so when no campaign
 * is known rather than guessing one.
 */
export function dealCelebration(input: CelebrationInput): { text: string; blocks: KnownBlock[] } {
  const { deal, lead, campaign, handedOffAt, rating } = input;
  const amount = formatMoney(deal.amount, deal.currency);
  const dealName = escapeMrkdwn(truncate(deal.name, 200));
  const company = deal.company ? escapeMrkdwn(truncate(deal.company, 150)) : undefined;
  const rep = person(deal.owner_slack_user_id, deal.owner_email);

  const fields: MrkdwnElement[] = [];
  if (campaign) {
    const marketer = person(campaign.owner_slack_user_id, campaign.owner_email, '_not on record_');
    fields.push(mrkdwn(`*Campaign*\n${shortLink(campaign.url, truncate(campaign.name, 150))}\nMarketer: ${marketer}`));
  }
  if (handedOffAt) fields.push(mrkdwn(`*Handed off*\n${handoffText(handedOffAt, deal.closed_at)}`));
  if (rating !== undefined) fields.push(mrkdwn(`*Lead quality*\n${stars(rating)} ${rating}/5`));

  const blocks: KnownBlock[] = [
    {
      type: 'header',
      // No outside text here: plain_text cannot be escaped, and a raw `<!channel>` in the payload alarms readers.
      text: { type: 'plain_text', text: `🎉 Closed won: ${amount}`, emoji: true },
    },
    {
      type: 'section',
      text: mrkdwn(`*${dealName}*${company ? ` · ${company}` : ''}\n*${amount}* closed by ${rep}`),
    },
    {
      type: 'section',
      text: mrkdwn(
        campaign ? '*How marketing got the lead*' : '*How marketing got the lead*\nSourced outside a tracked campaign',
      ),
      ...(fields.length > 0 ? { fields } : {}),
    },
  ];
  const details = [`Deal ${escapeMrkdwn(truncate(deal.crm_id, 100))}`, `closed ${formatDay(deal.closed_at)}`];
  if (lead) details.push(`lead ${shortLink(lead.url, truncate(`${lead.name} (${lead.crm_id})`, 150))}`);
  blocks.push({ type: 'context', elements: [mrkdwn(details.join(' · '))] });

  const source = campaign
    ? ` · campaign ${escapeMrkdwn(truncate(campaign.name, 150))}`
    : ' · sourced outside a tracked campaign';
  const text = `🎉 ${rep} closed ${dealName}${company ? ` (${company})` : ''} for ${amount}${source}`;
  return { text, blocks };
}
