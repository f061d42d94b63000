import type { ActionsBlock, Button, HomeView, KnownBlock, SectionBlock } from '@slack/types';
import { escapeMrkdwn, mention, stars, truncate } from '../../slack/mrkdwn.js';
import { ACCEPT_ACTION, HANDOFF_ACTIONS_BLOCK, RATE_ACTION, REJECT_ACTION } from '../handoffs/ids.js';
import { waitedFor } from '../handoffs/sla-blocks.js';
import type { CampaignQualityRow, FeedbackRow, PendingHandoffRow } from './queries.js';

/** Slack's limit for a Home tab. */
export const HOME_MAX_BLOCKS = 100;

export interface HomeInput {
  userId: string;
  now: Date;
  pending: { rows: PendingHandoffRow[]; total: number };
  myFeedback: FeedbackRow[];
  /** Lead quality by campaign over `qualityDays`. */
  quality: { rows: CampaignQualityRow[]; total: number };
  qualityDays: number;
  /** Present when the user owns campaigns. */
  marketer?: { campaigns: { rows: CampaignQualityRow[]; total: number }; feedback: FeedbackRow[] };
}

const plain = (text: string) => ({ type: 'plain_text' as const, text, emoji: true });
const section = (text: string): SectionBlock => ({ type: 'section', text: { type: 'mrkdwn', text } });
const header = (text: string): KnownBlock => ({ type: 'header', text: plain(truncate(text, 150)) });
const note = (text: string): KnownBlock => ({ type: 'context', elements: [{ type: 'mrkdwn', text }] });

function button(text: string, actionId: string, value: string, style?: 'primary' | 'danger'): Button {
  return { type: 'button', text: plain(text), action_id: actionId, value, ...(style ? { style } : {}) };
}

/** `<!date^…>` renders in each reader's time zone. */
function slackDate(date: Date): string {
  return `<!date^${Math.floor(date.getTime() / 1000)}^{date_short_pretty}|${date.toISOString().slice(0, 10)}>`;
}

function leadLabel(row: { lead_name: string; lead_company: string | null }): string {
  const company = row.lead_company ? ` at ${escapeMrkdwn(truncate(row.lead_company, 100))}` : '';
  return `*${escapeMrkdwn(truncate(row.lead_name, 150))}*${company}`;
}

const percent = (rate: number | null) => (rate === null ? '–' : `${Math.round(rate * 100)}%`);
const average = (rating: number | null) => (rating === null ? '–' : rating.toFixed(1));

function more(shown: number, total: number, what: string): KnownBlock[] {
  return total > shown ? [note(`…and ${total - shown} more ${what}`)] : [];
}

/** One pending handoff: who and how long, and the card's own buttons (same action ids and values). */
function pendingHandoff(row: PendingHandoffRow, now: Date): KnownBlock[] {
  const campaign = row.campaign_name ? ` · ${escapeMrkdwn(truncate(row.campaign_name, 150))}` : '';
  const waited = waitedFor((now.getTime() - row.occurred_at.getTime()) / 1000);
  const actions: ActionsBlock = {
    type: 'actions',
    // Block ids must be unique within a view; the listeners match on action_id only.
    block_id: `${HANDOFF_ACTIONS_BLOCK}:${row.id}`,
    elements: [
      button('Accept', ACCEPT_ACTION, row.id, 'primary'),
      button('Reject', REJECT_ACTION, row.id, 'danger'),
      button('Rate lead', RATE_ACTION, row.id),
    ],
  };
  return [section(`${leadLabel(row)}${campaign}\nWaiting ${waited}`), actions];
}

function feedbackLine(row: FeedbackRow, withRater: boolean): string {
  const ready = row.sales_ready ? ' · sales-ready' : '';
  const by = withRater ? ` · by ${mention(row.rater_slack_user_id)}` : '';
  const campaign = row.campaign_name ? ` · ${escapeMrkdwn(truncate(row.campaign_name, 80))}` : '';
  const comment = row.comment ? `\n>${escapeMrkdwn(truncate(row.comment.replace(/\s+/g, ' '), 150))}` : '';
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
    row.campaign_id === null
      ? '_No campaign_'
      : `*${escapeMrkdwn(truncate(row.campaign_name ?? 'Unknown campaign', 150))}*`;
  return {
    type: 'section',
    text: { type: 'mrkdwn', text: name },
    fields: [
      { type: 'mrkdwn', text: `*Feedback*\n${row.feedback_count}` },
      { type: 'mrkdwn', text: `*Avg rating*\n${average(row.avg_rating)}` },
      { type: 'mrkdwn', text: `*Sales-ready*\n${percent(row.sales_ready_rate)}` },
      { type: 'mrkdwn', text: `*Accepted*\n${percent(row.acceptance_rate)} of ${row.handoffs}` },
    ],
  };
}

function qualityTable(quality: HomeInput['quality'], empty: string): KnownBlock[] {
  if (quality.rows.length === 0) return [note(empty)];
  return [...quality.rows.map(qualityRow), ...more(quality.rows.length, quality.total, 'campaigns')];
}

/** The App Home tab for one user: their pending handoffs, their feedback, lead quality, and for marketers theirs. */
export function homeView(input: HomeInput): HomeView & { blocks: KnownBlock[] } {
  const { pending, now } = input;
  const blocks: KnownBlock[] = [
    header('Your pending handoffs'),
    ...(pending.rows.length === 0
      ? [note(':tada: Nothing waiting for you. New leads handed to you will show up here.')]
      : [
          ...pending.rows.flatMap((row) => pendingHandoff(row, now)),
          ...more(pending.rows.length, pending.total, 'pending handoffs'),
        ]),
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
