import type { KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import type { Campaign, Lead } from '../../db/schema.js';
import { escapeMrkdwn, link, personLabel, quote, stars, truncate } from '../../slack/mrkdwn.js';
import {
  ACTION,
  BLOCK,
  COMMENT_MAX,
  FEEDBACK_VIEW,
  LEAD_SELECT,
  RATING_LABELS,
  RATINGS,
  REASONS,
  REJECT_REASONS,
  REJECT_VIEW,
  type ReasonCode,
} from './ids.js';
import type { FeedbackMetadata } from './schema.js';

const plain = (text: string) => ({ type: 'plain_text' as const, text, emoji: true });

/** How a lead reads in a picker: "Jane Doe · Acme (L-1001)", within Slack's 75-character option limit. */
export function leadOption(lead: Pick<Lead, 'id' | 'name' | 'company' | 'crm_id'>): PlainTextOption {
  const label = [lead.name, lead.company].filter(Boolean).join(' · ');
  const suffix = ` (${truncate(lead.crm_id, 20)})`;
  return { text: plain(`${truncate(label, 75 - suffix.length)}${suffix}`), value: lead.id };
}

function choices(entries: [string, string][]): PlainTextOption[] {
  return entries.map(([value, text]) => ({ text: plain(text), value }));
}

export interface FeedbackModalInput {
  /** Rate a lead (default), or reject a handed-off lead: the lead is fixed and a reason is required. */
  purpose?: 'rate' | 'reject';
  /** The lead to pre-select, when the rep named one that exists. */
  lead?: Pick<Lead, 'id' | 'name' | 'company' | 'crm_id'>;
  /** What the rep typed when it matched no lead: shown so they know why nothing is selected. */
  unmatchedReference?: string;
  metadata: FeedbackMetadata;
}

/** The `/leadfeedback` modal: which lead, a 1–5 rating, sales-ready or not, reasons and a comment. */
export function feedbackModal({ purpose = 'rate', lead, unmatchedReference, metadata }: FeedbackModalInput): ModalView {
  const rejecting = purpose === 'reject' && lead !== undefined;
  const blocks: KnownBlock[] = [];
  if (unmatchedReference !== undefined) {
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `:mag: No lead matches *${escapeMrkdwn(truncate(unmatchedReference, 200))}*. Search by name, company, email or lead id below.`,
      },
    });
  }
  if (rejecting) {
    blocks.push(
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: `Rejecting *${escapeMrkdwn(leadOption(lead).text.text)}*. Marketing will see why.`,
        },
      },
      {
        type: 'input',
        block_id: BLOCK.rejectReason,
        label: plain('Why are you rejecting it?'),
        element: {
          type: 'radio_buttons',
          action_id: ACTION.rejectReason,
          options: choices(REJECT_REASONS.map((code) => [code, REASONS[code]])),
        },
      },
    );
  } else {
    blocks.push({
      type: 'input',
      block_id: BLOCK.lead,
      label: plain('Lead'),
      element: {
        type: 'external_select',
        action_id: LEAD_SELECT,
        placeholder: plain('Search by name, company, email or id'),
        min_query_length: 1,
        ...(lead ? { initial_option: leadOption(lead) } : {}),
      },
    });
  }
  blocks.push(
    {
      type: 'input',
      block_id: BLOCK.rating,
      label: plain('How good was this lead?'),
      element: {
        type: 'radio_buttons',
        action_id: ACTION.rating,
        options: choices(RATINGS.map((value) => [value, RATING_LABELS[value]])),
      },
    },
    {
      type: 'input',
      block_id: BLOCK.salesReady,
      label: plain('Was it sales-ready?'),
      element: {
        type: 'radio_buttons',
        action_id: ACTION.salesReady,
        options: choices([
          ['yes', 'Yes, ready for a sales conversation'],
          ['no', 'No, it needed more nurturing'],
        ]),
      },
    },
  );
  if (!rejecting) {
    blocks.push({
      type: 'input',
      block_id: BLOCK.reasons,
      optional: true,
      label: plain('Why?'),
      element: { type: 'checkboxes', action_id: ACTION.reasons, options: choices(Object.entries(REASONS)) },
    });
  }
  blocks.push(
    {
      type: 'input',
      block_id: BLOCK.comment,
      optional: true,
      label: plain('Anything marketing should know?'),
      element: {
        type: 'plain_text_input',
        action_id: ACTION.comment,
        multiline: true,
        max_length: COMMENT_MAX,
        placeholder: plain('What you learned on the call, what would have made it a better lead…'),
      },
    },
    {
      type: 'context',
      elements: [
        { type: 'mrkdwn', text: 'Marketing sees your rating right away, next to the campaign that found the lead.' },
      ],
    },
  );
  return {
    type: 'modal',
    callback_id: rejecting ? REJECT_VIEW : FEEDBACK_VIEW,
    title: plain(rejecting ? 'Reject lead' : 'Rate a lead'),
    submit: plain(rejecting ? 'Reject lead' : 'Send feedback'),
    close: plain('Cancel'),
    private_metadata: JSON.stringify(metadata),
    blocks,
  };
}

export interface FeedbackNotice {
  lead: Lead;
  campaign: Campaign | undefined;
  raterSlackUserId: string;
  rating: number;
  salesReady: boolean;
  reasons: ReasonCode[];
  comment: string | null;
  /** The handoff was rejected for this reason. */
  rejectReason?: string | undefined;
}

export function reasonLabels(reasons: readonly string[]): string {
  return reasons.map((r) => REASONS[r as ReasonCode] ?? r).join(', ');
}

/** The post in MARKETING_CHANNEL: who rated which lead how, tied to its campaign and that campaign's owner. */
export function marketingFeedbackNotice(notice: FeedbackNotice): { text: string; blocks: KnownBlock[] } {
  const { lead, campaign } = notice;
  const leadName = link(lead.url, truncate(lead.name, 150));
  const company = lead.company ? ` at ${escapeMrkdwn(truncate(lead.company, 150))}` : '';
  const rater = personLabel({ slackUserId: notice.raterSlackUserId });
  const campaignText = campaign
    ? `${link(campaign.url, truncate(campaign.name, 150))}\nOwner: ${personLabel(
        { slackUserId: campaign.owner_slack_user_id, email: campaign.owner_email },
        'unknown',
      )}`
    : '_No campaign on record_';
  const fields = [
    { type: 'mrkdwn' as const, text: `*Rating*\n${stars(notice.rating)} ${notice.rating}/5` },
    { type: 'mrkdwn' as const, text: `*Sales-ready*\n${notice.salesReady ? 'Yes' : 'No'}` },
    { type: 'mrkdwn' as const, text: `*Campaign*\n${campaignText}` },
  ];
  if (notice.reasons.length > 0) fields.push({ type: 'mrkdwn', text: `*Reasons*\n${reasonLabels(notice.reasons)}` });

  const blocks: KnownBlock[] = [
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: notice.rejectReason
          ? `:no_entry: ${rater} rejected *${leadName}*${company}: ${reasonLabels([notice.rejectReason])}`
          : `:speech_balloon: ${rater} rated *${leadName}*${company}`,
      },
    },
    { type: 'section', fields },
  ];
  if (notice.comment) {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: truncate(quote(notice.comment), 3000) } });
  }
  const details = [`Lead ${escapeMrkdwn(truncate(lead.crm_id, 100))}`];
  if (lead.email) details.push(escapeMrkdwn(truncate(lead.email, 200)));
  if (lead.source) details.push(`source: ${escapeMrkdwn(truncate(lead.source, 100))}`);
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: details.join(' · ') }] });

  const owner = campaign?.owner_slack_user_id ? ` ${personLabel({ slackUserId: campaign.owner_slack_user_id })}` : '';
  const verb = notice.rejectReason ? 'rejected and rated' : 'rated';
  const text = `${rater} ${verb} ${escapeMrkdwn(truncate(lead.name, 150))} ${notice.rating}/5${
    campaign ? ` (campaign ${escapeMrkdwn(truncate(campaign.name, 150))})` : ''
  }${owner}`;
  return { text, blocks };
}

/** What the rep sees after submitting. */
export function feedbackConfirmation(lead: Pick<Lead, 'name'>, rating: number, campaign: Campaign | undefined): string {
  const where = campaign ? ` and the owner of *${escapeMrkdwn(campaign.name)}*` : '';
  return `:white_check_mark: Thanks! Your ${stars(rating)} (${rating}/5) for *${escapeMrkdwn(lead.name)}* is saved, and marketing${where} can see it.`;
}
