import type { InputBlock, KnownBlock, ModalView, MrkdwnElement } from '@slack/types';
import type { Campaign } from '../../db/schema.js';
import {
  calendarDay,
  context,
  dayRange,
  escapedWithin,
  header,
  link,
  mentionList,
  mrkdwn,
  personLabel,
  plain,
  SECTION_TEXT_MAX,
  section,
} from '../../slack/kit/index.js';
import { ACTION, BLOCK, CAMPAIGN_VIEW, MAX_LENGTH } from './ids.js';
import type { CampaignMetadata } from './schema.js';

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

/** Slack allows 2000 per section field; a little slack for the label. */
const FIELD_MAX = 1900;

const field = (label: string, value: string) => mrkdwn(`*${label}*\n${escapedWithin(value, FIELD_MAX)}`);
const ownerOf = (c: AnnouncedCampaign) =>
  personLabel({ slackUserId: c.owner_slack_user_id, email: c.owner_email }, '_not named_');

/**
 * The campaign announcement in the sales channel, and (through chat.update) every later version of it:
 * what it is, when, for whom, what to say and offer, and whom in marketing to ask.
 */
export function campaignAnnouncement(c: AnnouncedCampaign): SlackMessage {
  const ended = c.status === 'ended';
  const dates = dayRange(c.starts_at, c.ends_at);
  const owner = ownerOf(c);
  // plain_text is never parsed for mentions, so the name goes in as it is; only mrkdwn needs escaping.
  const blocks: KnownBlock[] = [header(`${ended ? ':checkered_flag:' : ':mega:'} ${c.name}`)];
  if (ended) blocks.push(context('*This campaign has ended.* Details kept for reference.'));

  const fields: MrkdwnElement[] = [];
  if (dates) fields.push(field('Dates', dates));
  fields.push(mrkdwn(`*Marketing owner*\n${owner}`));
  if (c.audience) fields.push(field('Audience', c.audience));
  if (c.goal) fields.push(field('Goal', c.goal));
  if (c.channel) fields.push(field('Channel', c.channel));
  blocks.push({ type: 'section', fields });

  if (c.talking_points) {
    const label = '*Talking points*\n';
    blocks.push(section(`${label}${escapedWithin(c.talking_points, SECTION_TEXT_MAX - label.length)}`));
  }
  if (c.offer) {
    const label = ':gift: *Offer*\n';
    blocks.push(section(`${label}${escapedWithin(c.offer, SECTION_TEXT_MAX - label.length)}`));
  }
  const page = c.url ? link(c.url, 'Campaign page') : '';
  blocks.push(context([page, `Questions? Ask ${owner} in the thread.`].filter(Boolean).join(' · ')));

  const name = escapedWithin(c.name, 150);
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
  if (changed.includes('dates')) parts.push(`dates now *${dayRange(after.starts_at, after.ends_at) ?? 'open'}*`);
  const others = changed
    .filter((f): f is keyof typeof CHANGE_LABELS => f in CHANGE_LABELS)
    .map((f) => CHANGE_LABELS[f]);
  if (others.length > 0) parts.push(`new ${listed(others)}`);
  const what = parts.length > 0 ? `: ${listed(parts)}` : '';
  const text = `:pencil2: *This campaign was updated*${what}. The announcement above shows the latest.`;
  return {
    text: `Campaign updated: ${escapedWithin(after.name, 150)}`,
    blocks: [section(text)],
  };
}

/** The thread reply when a campaign ends. */
export function campaignEndedNote(c: AnnouncedCampaign): SlackMessage {
  const when = c.ends_at ? ` (it ran until ${calendarDay(c.ends_at)})` : '';
  const text = `:checkered_flag: *This campaign has ended*${when}. Its leads still count toward its results; please stop using its offer in new conversations.`;
  return {
    text: `Campaign ended: ${escapedWithin(c.name, 150)}`,
    blocks: [section(text)],
  };
}

/** What the submitter of /campaign sees once the announcement is on its way. */
export function campaignConfirmation(name: string, salesChannel: string, alreadyAnnounced: boolean): string {
  const what = `*${escapedWithin(name, 300)}*`;
  return alreadyAnnounced
    ? `:information_source: ${what} was already announced in <#${salesChannel}>.`
    : `:white_check_mark: ${what} is being announced in <#${salesChannel}>. Answer questions in its thread.`;
}

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

/** The `/campaign` modal: marketing announces a campaign to sales themselves; only the name is required. */
export function campaignModal(metadata: CampaignMetadata): ModalView {
  const blocks: KnownBlock[] = [
    context('Sales sees this in the sales channel, with you as the person to ask. Only the name is required.'),
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

/** Why someone not on CAMPAIGN_POSTERS cannot run /campaign, and whom to ask. */
export function campaignRefusal(posters: readonly string[], salesChannel: string): string {
  return (
    `:lock: /campaign posts to <#${salesChannel}> as Tandem, so only ${mentionList(posters)} may use it. ` +
    'Ask one of them to announce your campaign, or ask whoever runs Tandem to add you to CAMPAIGN_POSTERS.'
  );
}
