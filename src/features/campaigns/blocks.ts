import type { KnownBlock, MrkdwnElement } from '@slack/types';
import type { Campaign } from '../../db/schema.js';
import { escapeMrkdwn, link, personLabel, truncate } from '../../slack/mrkdwn.js';

/** What an announcement shows: the stored campaign, minus bookkeeping. */
export type AnnouncedCampaign = Pick<
  Campaign,
  | 'name'
  | 'status'
  | 'channel'
  | 'starts_at'
  | 'ends_at'
  | 'audience'
  | 'goal'
  | 'talking_points'
  | 'offer'
  | 'url'
  | 'owner_email'
  | 'owner_slack_user_id'
>;

/** A campaign field whose change the thread note names. */
export type ChangedField = 'name' | 'dates' | 'audience' | 'goal' | 'talking_points' | 'offer' | 'url' | 'owner';

export interface SlackMessage {
  /** The notification and screen-reader text; mrkdwn, so escaped like the blocks. */
  text: string;
  blocks: KnownBlock[];
}

const SECTION_MAX = 3000;
/** Slack allows 2000 per section field; a little slack for the label. */
const FIELD_MAX = 1900;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * Escapes outside text and keeps the result within `max` characters. Escaping can grow text fivefold (`&` →
 * `&amp;`), so the raw text is cut by its escaped width: cutting the escaped text could split an entity in half.
 */
export function escapedWithin(text: string, max: number): string {
  const escaped = escapeMrkdwn(text);
  if (escaped.length <= max) return escaped;
  let width = 1; // the ellipsis
  let end = 0;
  // By code point, so an emoji's surrogate pair is never split either.
  for (const ch of text) {
    const w = escapeMrkdwn(ch).length;
    if (width + w > max) break;
    width += w;
    end += ch.length;
  }
  return `${escapeMrkdwn(text.slice(0, end).trimEnd())}…`;
}

const dayMonth = (d: Date) => `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}`;
const fullDate = (d: Date) => `${dayMonth(d)}, ${d.getUTCFullYear()}`;

/** `Nov 23 – Dec 15, 2026` in UTC (the CRM's dates are calendar days, not moments); null when neither is known. */
export function dateRange(start: Date | null, end: Date | null): string | null {
  if (start && end) {
    if (fullDate(start) === fullDate(end)) return fullDate(start);
    if (start.getUTCFullYear() === end.getUTCFullYear()) return `${dayMonth(start)} – ${fullDate(end)}`;
    return `${fullDate(start)} – ${fullDate(end)}`;
  }
  if (start) return `From ${fullDate(start)}`;
  if (end) return `Until ${fullDate(end)}`;
  return null;
}

const mrkdwn = (text: string): MrkdwnElement => ({ type: 'mrkdwn', text });
const field = (label: string, value: string) => mrkdwn(`*${label}*\n${escapedWithin(value, FIELD_MAX)}`);
const ownerOf = (c: AnnouncedCampaign) =>
  personLabel({ slackUserId: c.owner_slack_user_id, email: c.owner_email }, '_not named_');

/**
 * The campaign announcement in the sales channel, and (through chat.update) every later version of it:
 * what it is, when, for whom, what to say and offer, and whom in marketing to ask.
 */
export function campaignAnnouncement(c: AnnouncedCampaign): SlackMessage {
  const ended = c.status === 'ended';
  const dates = dateRange(c.starts_at, c.ends_at);
  const owner = ownerOf(c);
  // plain_text is never parsed for mentions, so the name goes in as it is; only mrkdwn needs escaping.
  const blocks: KnownBlock[] = [
    {
      type: 'header',
      text: {
        type: 'plain_text',
        text: truncate(`${ended ? ':checkered_flag:' : ':mega:'} ${c.name}`, 150),
        emoji: true,
      },
    },
  ];
  if (ended)
    blocks.push({ type: 'context', elements: [mrkdwn('*This campaign has ended.* Details kept for reference.')] });

  const fields: MrkdwnElement[] = [];
  if (dates) fields.push(field('Dates', dates));
  fields.push(mrkdwn(`*Marketing owner*\n${owner}`));
  if (c.audience) fields.push(field('Audience', c.audience));
  if (c.goal) fields.push(field('Goal', c.goal));
  if (c.channel) fields.push(field('Channel', c.channel));
  blocks.push({ type: 'section', fields });

  if (c.talking_points) {
    const label = '*Talking points*\n';
    blocks.push({
      type: 'section',
      text: mrkdwn(`${label}${escapedWithin(c.talking_points, SECTION_MAX - label.length)}`),
    });
  }
  if (c.offer) {
    const label = ':gift: *Offer*\n';
    blocks.push({ type: 'section', text: mrkdwn(`${label}${escapedWithin(c.offer, SECTION_MAX - label.length)}`) });
  }
  const page = c.url ? link(c.url, 'Campaign page') : '';
  blocks.push({
    type: 'context',
    elements: [mrkdwn([page, `Questions? Ask ${owner} in the thread.`].filter(Boolean).join(' · '))],
  });

  const name = escapeMrkdwn(truncate(c.name, 150));
  const text = `${ended ? 'Campaign ended' : 'New campaign'}: ${name}${dates ? ` (${dates})` : ''}, owner ${owner}`;
  return { text, blocks };
}

const CHANGE_LABELS: Record<Exclude<ChangedField, 'name' | 'dates'>, string> = {
  audience: 'audience',
  goal: 'goal',
  talking_points: 'talking points',
  offer: 'offer',
  url: 'campaign page',
  owner: 'marketing owner',
};

function listed(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/** The thread reply under an announcement that was just edited: that it changed, and what, when we can tell. */
export function campaignUpdateNote(
  before: AnnouncedCampaign,
  after: AnnouncedCampaign,
  changed: ChangedField[],
): SlackMessage {
  const parts: string[] = [];
  if (changed.includes('name')) parts.push(`renamed from *${escapedWithin(before.name, 150)}*`);
  if (changed.includes('dates')) parts.push(`dates now *${dateRange(after.starts_at, after.ends_at) ?? 'open'}*`);
  const others = changed
    .filter((f): f is keyof typeof CHANGE_LABELS => f in CHANGE_LABELS)
    .map((f) => CHANGE_LABELS[f]);
  if (others.length > 0) parts.push(`new ${listed(others)}`);
  const what = parts.length > 0 ? `: ${listed(parts)}` : '';
  const text = `:pencil2: *This campaign was updated*${what}. The announcement above shows the latest.`;
  return {
    text: `Campaign updated: ${escapeMrkdwn(truncate(after.name, 150))}`,
    blocks: [{ type: 'section', text: mrkdwn(text) }],
  };
}

/** The thread reply when a campaign ends. */
export function campaignEndedNote(c: AnnouncedCampaign): SlackMessage {
  const when = c.ends_at ? ` (it ran until ${fullDate(c.ends_at)})` : '';
  const text = `:checkered_flag: *This campaign has ended*${when}. Its leads still count toward its results; please stop using its offer in new conversations.`;
  return {
    text: `Campaign ended: ${escapeMrkdwn(truncate(c.name, 150))}`,
    blocks: [{ type: 'section', text: mrkdwn(text) }],
  };
}

/** What the submitter of /campaign sees once the announcement is on its way. */
export function campaignConfirmation(name: string, salesChannel: string, alreadyAnnounced: boolean): string {
  const what = `*${escapedWithin(name, 300)}*`;
  return alreadyAnnounced
    ? `:information_source: ${what} was already announced in <#${salesChannel}>.`
    : `:white_check_mark: ${what} is being announced in <#${salesChannel}>. Answer questions in its thread.`;
}
