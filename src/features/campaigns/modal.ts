import type { InputBlock, KnownBlock, ModalView, PlainTextElement } from '@slack/types';
import { ACTION, BLOCK, CAMPAIGN_VIEW, MAX_LENGTH } from './ids.js';

const plain = (text: string): PlainTextElement => ({ type: 'plain_text', text, emoji: true });

function textInput(
  block: string,
  action: string,
  label: string,
  maxLength: number,
  options: { optional?: boolean; multiline?: boolean; placeholder?: string } = {},
): InputBlock {
  return {
    type: 'input',
    block_id: block,
    optional: options.optional ?? true,
    label: plain(label),
    element: {
      type: 'plain_text_input',
      action_id: action,
      max_length: maxLength,
      ...(options.multiline ? { multiline: true } : {}),
      ...(options.placeholder ? { placeholder: plain(options.placeholder) } : {}),
    },
  };
}

/** What the modal carries to its submission (≤ 3000 characters). */
export interface CampaignModalMetadata {
  /** The slash command's response_url, for an ephemeral confirmation where marketing typed. */
  responseUrl?: string;
}

/** The `/campaign` modal: marketing announces a campaign to sales themselves; only the name is required. */
export function campaignModal(metadata: CampaignModalMetadata): ModalView {
  const blocks: KnownBlock[] = [
    {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: 'Sales sees this in the sales channel, with you as the person to ask. Only the name is required.',
        },
      ],
    },
    textInput(BLOCK.name, ACTION.name, 'Campaign name', MAX_LENGTH.name, {
      optional: false,
      placeholder: 'e.g. Q4 Webinar: Pipeline Hygiene',
    }),
    {
      type: 'input',
      block_id: BLOCK.startsOn,
      optional: true,
      label: plain('Starts'),
      element: { type: 'datepicker', action_id: ACTION.startsOn, placeholder: plain('Start date') },
    },
    {
      type: 'input',
      block_id: BLOCK.endsOn,
      optional: true,
      label: plain('Ends'),
      element: { type: 'datepicker', action_id: ACTION.endsOn, placeholder: plain('End date') },
    },
    textInput(BLOCK.audience, ACTION.audience, 'Audience', MAX_LENGTH.audience, {
      placeholder: 'Who it targets: segment, persona, region',
    }),
    textInput(BLOCK.goal, ACTION.goal, 'Goal', MAX_LENGTH.goal, { placeholder: 'e.g. 200 sign-ups, 40 SQLs' }),
    textInput(BLOCK.talkingPoints, ACTION.talkingPoints, 'Talking points', MAX_LENGTH.talkingPoints, {
      multiline: true,
      placeholder: 'What reps should say to leads from this campaign',
    }),
    textInput(BLOCK.offer, ACTION.offer, 'Offer', MAX_LENGTH.offer, { placeholder: 'e.g. 20% off the first year' }),
    {
      type: 'input',
      block_id: BLOCK.url,
      optional: true,
      label: plain('Link'),
      element: { type: 'url_text_input', action_id: ACTION.url, placeholder: plain('https://…') },
    },
  ];
  return {
    type: 'modal',
    callback_id: CAMPAIGN_VIEW,
    title: plain('Announce a campaign'),
    submit: plain('Announce'),
    close: plain('Cancel'),
    private_metadata: JSON.stringify(metadata),
    blocks,
  };
}
