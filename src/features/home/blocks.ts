import type { ActionsBlock, HomeView, KnownBlock } from '@slack/types';
import {
  averageRating,
  button,
  escapedWithin,
  header,
  mention,
  mrkdwn,
  context as note,
  percent,
  plural,
  section,
  slackDate,
  stars,
  truncate,
  waitedFor,
} from '../../slack/kit/index.js';
import { handoffButtons } from '../handoffs/blocks.js';
import { HANDOFF_ACTIONS_BLOCK } from '../handoffs/ids.js';
import { HOME_PAGE_ACTION } from './ids.js';
import { type CampaignQualityRow, type FeedbackRow, HOME_PENDING_LIMIT, type PendingHandoffRow } from './queries.js';

/** Slack's limit for a Home tab. */
export const HOME_MAX_BLOCKS = 100;

export interface HomeInput {
  userId: string;
  now: Date;
  pending: { rows: PendingHandoffRow[]; total: number; offset?: number };
  myFeedback: FeedbackRow[];
  /** Lead quality by campaign over `qualityDays`. */
  quality: { rows: CampaignQualityRow[]; total: number };
  qualityDays: number;
  /** Present when the user owns campaigns. */
  marketer?: { campaigns: { rows: CampaignQualityRow[]; total: number }; feedback: FeedbackRow[] };
  /** Present for the sales manager and Tandem's admins: the team's chart and campaigns ranked by lead quality. */
  manager?: ManagerInput;
}

export interface ManagerInput {
  /** The uploaded chart, when there is one. */
  chart: { fileId: string; altText: string } | undefined;
  ranked: { rows: CampaignQualityRow[]; total: number };
  days: number;
}

/** The managers' part, first on their Home: the 8-week chart, then campaigns from the best leads down. */
function managerSection({ chart, ranked, days }: ManagerInput): KnownBlock[] {
  return [
    header('Your team, last 8 weeks'),
    chart
      ? { type: 'image', slack_file: { id: chart.fileId }, alt_text: truncate(chart.altText, 2000) }
      : note('The chart appears here once the weekly digest has posted one.'),
    header(`Campaigns by lead quality, last ${days} days`),
    ...qualityTable(ranked, `No handoffs or feedback in the last ${days} days.`),
    { type: 'divider' },
  ];
}

function leadLabel(row: { lead_name: string; lead_company: string | null }): string {
  const company = row.lead_company ? ` at ${escapedWithin(row.lead_company, 100)}` : '';
  return `*${escapedWithin(row.lead_name, 150)}*${company}`;
}

/** "…and 3 more campaigns" under a list cut short; `what` is singular. */
function more(shown: number, total: number, what: string): KnownBlock[] {
  return total > shown ? [note(`…and ${plural(total - shown, `more ${what}`)}`)] : [];
}

/** One pending handoff: who and how long, and the card's own buttons (same action ids and values). */
function pendingHandoff(row: PendingHandoffRow, now: Date): KnownBlock[] {
  const campaign = row.campaign_name ? ` · ${escapedWithin(row.campaign_name, 150)}` : '';
  const waited = waitedFor((now.getTime() - row.occurred_at.getTime()) / 1000);
  const from = row.reassigned_from ? ` · reassigned to you from ${mention(row.reassigned_from)}` : '';
  const actions: ActionsBlock = {
    type: 'actions',
    // Block ids must be unique within a view; the listeners match on action_id only.
    block_id: `${HANDOFF_ACTIONS_BLOCK}:${row.id}`,
    elements: handoffButtons(row.id, 'pending'),
  };
  return [section(`${leadLabel(row)}${campaign}\nWaiting ${waited}${from}`), actions];
}

function feedbackLine(row: FeedbackRow, withRater: boolean): string {
  const ready = row.sales_ready ? ' · sales-ready' : '';
  const by = withRater ? ` · by ${mention(row.rater_slack_user_id)}` : '';
  const campaign = row.campaign_name ? ` · ${escapedWithin(row.campaign_name, 80)}` : '';
  const comment = row.comment ? `\n>${escapedWithin(row.comment.replace(/\s+/g, ' '), 150)}` : '';
  return `${stars(row.rating)} ${leadLabel(row)}${ready}${campaign}${by} · ${slackDate(row.created_at)}${comment}`;
}

/** A list of feedback in as few blocks as the 3000-character section limit allows. */
function feedbackList(rows: FeedbackRow[], withRater: boolean, empty: string): KnownBlock[] {
  if (rows.length === 0) return [note(empty)];
  const blocks: KnownBlock[] = [];
  let text = '';
  for (const line of rows.map((row) => feedbackLine(row, withRater))) {
    if (text && text.length + 1 + line.length > 3000) {
      blocks.push(section(text));
      text = '';
    }
    text = text ? `${text}\n${line}` : line;
  }
  blocks.push(section(truncate(text, 3000)));
  return blocks;
}

function qualityRow(row: CampaignQualityRow): KnownBlock {
  const name =
    row.campaign_id === null ? '_No campaign_' : `*${escapedWithin(row.campaign_name ?? 'Unknown campaign', 150)}*`;
  return {
    type: 'section',
    text: mrkdwn(name),
    fields: [
      mrkdwn(`*Feedback*\n${row.feedback_count}`),
      mrkdwn(`*Avg rating*\n${averageRating(row.avg_rating)}`),
      mrkdwn(`*Sales-ready*\n${percent(row.sales_ready_rate)}`),
      mrkdwn(`*Accepted*\n${percent(row.acceptance_rate)} of ${row.handoffs}`),
    ],
  };
}

function qualityTable(quality: HomeInput['quality'], empty: string): KnownBlock[] {
  if (quality.rows.length === 0) return [note(empty)];
  return [...quality.rows.map(qualityRow), ...more(quality.rows.length, quality.total, 'campaign')];
}

/** Which pending handoffs this page shows, and buttons to the pages before and after it. */
function pendingPages(pending: HomeInput['pending']): KnownBlock[] {
  const offset = pending.offset ?? 0;
  const last = offset + pending.rows.length;
  if (offset === 0 && last >= pending.total) return [];
  const buttons = [];
  if (offset > 0) buttons.push(button('← Newer', HOME_PAGE_ACTION, String(Math.max(0, offset - HOME_PENDING_LIMIT))));
  if (last < pending.total) buttons.push(button('Older →', HOME_PAGE_ACTION, String(last)));
  return [
    note(
      `${last < pending.total ? `…and ${plural(pending.total - last, 'more pending handoff')}: ` : ''}` +
        `showing ${offset + 1}–${last} of ${pending.total}, oldest first.`,
    ),
    { type: 'actions', block_id: 'home_pending_pages', elements: buttons } satisfies ActionsBlock,
  ];
}

/**
 * The App Home tab for one user: for managers the team's chart and campaigns by lead quality first; their pending
 * handoffs, their feedback, lead quality, and for marketers theirs.
 */
export function homeView(input: HomeInput): HomeView & { blocks: KnownBlock[] } {
  const { pending, now } = input;
  const blocks: KnownBlock[] = [
    ...(input.manager ? managerSection(input.manager) : []),
    header('Your pending handoffs'),
    ...(pending.rows.length === 0
      ? [note(':tada: Nothing waiting for you. New leads handed to you will show up here.')]
      : [...pending.rows.flatMap((row) => pendingHandoff(row, now)), ...pendingPages(pending)]),
    { type: 'divider' },
    header('Your recent feedback'),
    ...feedbackList(
      input.myFeedback,
      false,
      'You have not rated a lead yet. Use `/leadfeedback` or *Rate lead* on a card.',
    ),
    { type: 'divider' },
    header(`Lead quality by campaign, last ${input.qualityDays} days`),
    ...qualityTable(input.quality, `No handoffs or feedback in the last ${input.qualityDays} days.`),
  ];
  if (input.marketer) {
    blocks.push(
      { type: 'divider' },
      header(`Your campaigns, last ${input.qualityDays} days`),
      ...qualityTable(input.marketer.campaigns, 'None of your campaigns has handoffs or feedback yet.'),
      header('Latest feedback on your leads'),
      ...feedbackList(input.marketer.feedback, true, 'No feedback on leads from your campaigns yet.'),
    );
  }
  return { type: 'home', blocks: blocks.slice(0, HOME_MAX_BLOCKS) };
}
