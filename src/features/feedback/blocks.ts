import type { InputBlock, KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import type { Campaign, Lead } from '../../db/schema.js';
import {
  context,
  escapedWithin,
  field,
  link,
  mrkdwn,
  personLabel,
  plain,
  quote,
  section,
  stars,
  truncate,
} from '../../slack/kit/index.js';
import {
  ACTION,
  BLOCK,
  COMMENT_MAX,
  FEEDBACK_VIEW,
  LEAD_SELECT,
  RATING_LABELS,
  RATINGS,
  REASONS,
  type ReasonCode,
} from './ids.js';
import type { FeedbackMetadata } from './schema.js';

/** How a lead reads in a picker: "Jane Doe · Acme (L-1001)", within Slack's 75-character option limit. */
export function leadOption(lead: Pick<Lead, 'id' | 'name' | 'company' | 'crm_id'>): PlainTextOption {
  const label = [lead.name, lead.company].filter(Boolean).join(' · ');
  const suffix = ` (${truncate(lead.crm_id, 20)})`;
  return { text: plain(`${truncate(label, 75 - suffix.length)}${suffix}`), value: lead.id };
}

export function choices(entries: [string, string][]): PlainTextOption[] {
  return entries.map(([value, text]) => ({ text: plain(text), value }));
}

function radioInput(block: string, action: string, label: string, options: PlainTextOption[]): InputBlock {
  return {
    type: 'input',
    block_id: block,
    label: plain(label),
    element: { type: 'radio_buttons', action_id: action, options },
  };
}

/** The questions every lead rating asks: how good, sales-ready or not. The reject modal asks them too. */
export function ratingQuestions(): InputBlock[] {
  return [
    radioInput(
      BLOCK.rating,
      ACTION.rating,
      'How good was this lead?',
      choices(RATINGS.map((v) => [v, RATING_LABELS[v]])),
    ),
    radioInput(
      BLOCK.salesReady,
      ACTION.salesReady,
      'Was it sales-ready?',
      choices([
        ['yes', 'Yes, ready for a sales conversation'],
        ['no', 'No, it needed more nurturing'],
      ]),
    ),
  ];
}

/** The optional comment and the note on who sees it, which close every rating modal. */
export function commentQuestion(): KnownBlock[] {
  return [
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
    context('Marketing sees your rating right away, next to the campaign that found the lead.'),
  ];
}

export interface FeedbackModalInput {
  /** The lead to pre-select, when the rep named one that exists. */
  lead?: Pick<Lead, 'id' | 'name' | 'company' | 'crm_id'> | undefined;
  /** What the rep typed when it matched no lead: shown so they know why nothing is selected. */
  unmatchedReference?: string | undefined;
  metadata: FeedbackMetadata;
}

/** The `/leadfeedback` modal: which lead, a 1–5 rating, sales-ready or not, reasons and a comment. */
export function feedbackModal({ lead, unmatchedReference, metadata }: FeedbackModalInput): ModalView {
  const blocks: KnownBlock[] = [];
  if (unmatchedReference !== undefined) {
    blocks.push(
      section(
        `:mag: No lead matches *${escapedWithin(unmatchedReference, 200)}*. Search by name, company, email or lead id below.`,
      ),
    );
  }
  blocks.push(
    {
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
    },
    ...ratingQuestions(),
    {
      type: 'input',
      block_id: BLOCK.reasons,
      optional: true,
      label: plain('Why?'),
      element: { type: 'checkboxes', action_id: ACTION.reasons, options: choices(Object.entries(REASONS)) },
    },
    ...commentQuestion(),
  );
  return {
    type: 'modal',
    callback_id: FEEDBACK_VIEW,
    title: plain('Rate a lead'),
    submit: plain('Send feedback'),
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
  const company = lead.company ? ` at ${escapedWithin(lead.company, 150)}` : '';
  const rater = personLabel({ slackUserId: notice.raterSlackUserId });
  const campaignOwner = personLabel(
    { slackUserId: campaign?.owner_slack_user_id, email: campaign?.owner_email },
    'unknown',
  );
  const fields = [
    field(`*Rating*\n${stars(notice.rating)} ${notice.rating}/5`),
    field(`*Sales-ready*\n${notice.salesReady ? 'Yes' : 'No'}`),
    mrkdwn(
      `*Campaign*\n${campaign ? `${link(campaign.url, truncate(campaign.name, 150))}\nOwner: ${campaignOwner}` : '_No campaign on record_'}`,
    ),
  ];
  if (notice.reasons.length > 0) fields.push(field(`*Reasons*\n${reasonLabels(notice.reasons)}`));

  const blocks: KnownBlock[] = [
    section(
      notice.rejectReason
        ? `:no_entry: ${rater} rejected *${leadName}*${company}: ${reasonLabels([notice.rejectReason])}`
        : `:speech_balloon: ${rater} rated *${leadName}*${company}`,
    ),
    { type: 'section', fields },
  ];
  if (notice.comment) blocks.push(section(quote(notice.comment)));
  const details = [`Lead ${escapedWithin(lead.crm_id, 100)}`];
  if (lead.email) details.push(escapedWithin(lead.email, 200));
  if (lead.source) details.push(`source: ${escapedWithin(lead.source, 100)}`);
  blocks.push(context(details.join(' · ')));

  const owner = campaign?.owner_slack_user_id ? ` ${personLabel({ slackUserId: campaign.owner_slack_user_id })}` : '';
  const verb = notice.rejectReason ? 'rejected and rated' : 'rated';
  const text = `${rater} ${verb} ${escapedWithin(lead.name, 150)} ${notice.rating}/5${
    campaign ? ` (campaign ${escapedWithin(campaign.name, 150)})` : ''
  }${owner}`;
  return { text, blocks };
}

/** What the rep sees after submitting. */
export function feedbackConfirmation(lead: Pick<Lead, 'name'>, rating: number, campaign: Campaign | undefined): string {
  const where = campaign ? ` and the owner of *${escapedWithin(campaign.name, 300)}*` : '';
  return `:white_check_mark: Thanks! Your ${stars(rating)} (${rating}/5) for *${escapedWithin(lead.name, 500)}* is saved, and marketing${where} can see it.`;
}
