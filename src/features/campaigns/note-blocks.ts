import type { KnownBlock } from '@slack/types';
import {
  averageRating,
  calendarDay,
  context,
  dayRange,
  escapedWithin,
  formatMoney,
  header,
  link,
  percent,
  personLabel,
  plural,
  section,
} from '../../slack/kit/index.js';
import type { DigestFigures } from '../digest/queries.js';
import type { SlackMessage } from './blocks.js';
import type { NoteCampaign, NoteCampaigns } from './queries.js';

/** Campaigns listed per section; the rest are counted ("and N more"): 1 + 3 × (1 + 10 + 1) + 2 = 39 ≤ 50 blocks. */
export const NOTE_SECTION_MAX = 10;
export const LAUNCHING_DAYS = 14;
export const ENDED_DAYS = 7;

export interface NoteInput extends NoteCampaigns {
  /** How the leads of each ended campaign did, by campaign id; absent when it had none. */
  results: Map<string, DigestFigures>;
  now: Date;
  timeZone: string;
}

/** Where the announcement was posted, as a link Slack opens in the workspace; null before it was delivered. */
export function announcementLink(c: Pick<NoteCampaign, 'announcement_channel' | 'announcement_ts'>): string | null {
  if (!c.announcement_channel || !c.announcement_ts) return null;
  return `https://slack.com/archives/${c.announcement_channel}/p${c.announcement_ts.replace('.', '')}`;
}

const owner = (c: NoteCampaign) =>
  personLabel({ slackUserId: c.owner_slack_user_id, email: c.owner_email }, '_no owner_');
const name = (c: NoteCampaign) => `*${escapedWithin(c.name, 150)}*`;

function liveLine(c: NoteCampaign): string {
  const thread = announcementLink(c);
  const facts = [dayRange(c.starts_at, c.ends_at), `owner ${owner(c)}`, thread ? link(thread, 'announcement') : null];
  const lines = [`${name(c)} · ${facts.filter(Boolean).join(' · ')}`];
  if (c.talking_points) lines.push(`>${escapedWithin(c.talking_points, 600).replaceAll('\n', '\n>')}`);
  if (c.offer) lines.push(`:gift: ${escapedWithin(c.offer, 300)}`);
  return lines.join('\n');
}

function launchingLine(c: NoteCampaign): string {
  const starts = c.starts_at ? `starts ${calendarDay(c.starts_at)}` : null;
  const lines = [`${name(c)} · ${[starts, `owner ${owner(c)}`].filter(Boolean).join(' · ')}`];
  if (c.goal) lines.push(`Goal: ${escapedWithin(c.goal, 300)}`);
  return lines.join('\n');
}

function endedLine(c: NoteCampaign, figures: DigestFigures | undefined): string {
  const ended = c.ends_at ? `ended ${calendarDay(c.ends_at)}` : 'ended';
  const revenue = Object.entries(figures?.revenue ?? {}).map(([code, amount]) => formatMoney(amount, code));
  const results = figures
    ? [
        plural(figures.handoffs, 'handoff'),
        `${percent(figures.acceptance_rate)} accepted`,
        `rating ${averageRating(figures.avg_rating)}`,
        `${revenue.length > 0 ? revenue.join(' + ') : 'nothing'} won`,
      ].join(', ')
    : 'no leads handed off';
  return `${name(c)} · ${ended} · ${results}`;
}

function part(title: string, none: string, lines: string[]): KnownBlock[] {
  if (lines.length === 0) return [context(none)];
  const shown = lines.slice(0, NOTE_SECTION_MAX).map((line) => section(line));
  const more = lines.length - shown.length;
  return [section(`${title} (${lines.length})`), ...shown, ...(more > 0 ? [context(`…and ${more} more`)] : [])];
}

/**
 * The weekly note to sales about campaigns: what is live (talking points, offer, owner, dates, the announcement),
 * what launches in the next 14 days, and what ended in the last 7 with how its leads did. A week with none of
 * these is one line.
 */
export function campaignNote(input: NoteInput): SlackMessage {
  const { live, launching, ended } = input;
  if (live.length + launching.length + ended.length === 0) {
    const line = `No campaigns live, launching in the next ${LAUNCHING_DAYS} days, or ended in the last ${ENDED_DAYS} days.`;
    return { text: line, blocks: [section(line)] };
  }
  const blocks: KnownBlock[] = [
    header(`:calendar: Campaigns this week · ${calendarDay(input.now, input.timeZone)}`),
    ...part(':large_green_circle: *Live now*', 'No campaign is live.', live.map(liveLine)),
    { type: 'divider' },
    ...part(
      `:soon: *Launching in the next ${LAUNCHING_DAYS} days*`,
      `Nothing launches in the next ${LAUNCHING_DAYS} days.`,
      launching.map(launchingLine),
    ),
    { type: 'divider' },
    ...part(
      `:checkered_flag: *Ended in the last ${ENDED_DAYS} days*`,
      `No campaign ended in the last ${ENDED_DAYS} days.`,
      ended.map((c) => endedLine(c, input.results.get(c.crm_id))),
    ),
  ];
  const text =
    `Campaigns this week: ${live.length} live, ${launching.length} launching in the next ${LAUNCHING_DAYS} days, ` +
    `${ended.length} ended in the last ${ENDED_DAYS} days`;
  return { text, blocks };
}
