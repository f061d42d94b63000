import type { ActionsBlock, Button, KnownBlock } from '@slack/types';
import type { Campaign, Handoff, Lead } from '../../db/schema.js';
import { escapeMrkdwn, link, mention, personLabel, quote, truncate } from '../../slack/mrkdwn.js';
import { reasonLabels } from '../feedback/blocks.js';
import { ACCEPT_ACTION, HANDOFF_ACTIONS_BLOCK, RATE_ACTION, REJECT_ACTION } from './ids.js';

export interface HandoffCardInput {
  handoff: Pick<
    Handoff,
    | 'id'
    | 'status'
    | 'owner_slack_user_id'
    | 'owner_email'
    | 'notes'
    | 'occurred_at'
    | 'decided_by'
    | 'decided_at'
    | 'reject_reason'
  >;
  lead: Pick<Lead, 'crm_id' | 'name' | 'email' | 'company' | 'title' | 'phone' | 'score' | 'source' | 'url'>;
  campaign: Pick<Campaign, 'name' | 'url' | 'placeholder'> | undefined;
}

/** `<!date^…>` renders in each reader's time zone; the fallback is what clients without it show. */
function slackDate(date: Date): string {
  const fallback = date.toISOString().slice(0, 10);
  return `<!date^${Math.floor(date.getTime() / 1000)}^{date_short_pretty} at {time}|${fallback}>`;
}

function button(text: string, actionId: string, value: string, style?: 'primary' | 'danger'): Button {
  return {
    type: 'button',
    text: { type: 'plain_text', text, emoji: true },
    action_id: actionId,
    value,
    ...(style ? { style } : {}),
  };
}

/** The card in SALES_CHANNEL for one handoff, in its current state: pending, accepted or rejected. */
export function handoffCard({ handoff, lead, campaign }: HandoffCardInput): { text: string; blocks: KnownBlock[] } {
  const owner = personLabel({ slackUserId: handoff.owner_slack_user_id, email: handoff.owner_email }, 'the team');
  const name = link(lead.url, truncate(lead.name, 200));
  const at = lead.company ? ` at *${escapeMrkdwn(truncate(lead.company, 200))}*` : '';
  const title = lead.title ? `${escapeMrkdwn(truncate(lead.title, 200))}` : '';

  const fields: { type: 'mrkdwn'; text: string }[] = [];
  const field = (label: string, value: string | null | undefined) => {
    if (value) fields.push({ type: 'mrkdwn', text: `*${label}*\n${value}` });
  };
  field('Title', title);
  field('Score', lead.score === null ? null : `${lead.score}/100`);
  field('Source', lead.source ? escapeMrkdwn(truncate(lead.source, 200)) : null);
  field('Campaign', campaign && !campaign.placeholder ? link(campaign.url, truncate(campaign.name, 200)) : null);
  field('Email', lead.email ? escapeMrkdwn(truncate(lead.email, 320)) : null);
  field('Phone', lead.phone ? escapeMrkdwn(truncate(lead.phone, 100)) : null);

  const blocks: KnownBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', text: `:incoming_envelope: New lead for ${owner}: *${name}*${at}` } },
  ];
  if (fields.length > 0) blocks.push({ type: 'section', fields });
  if (handoff.notes) {
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: truncate(quote(truncate(handoff.notes, 2800)), 3000) },
    });
  }
  const crmLink = lead.url ? ` · ${link(lead.url, 'Open in CRM')}` : '';
  blocks.push({
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: `Handed off ${slackDate(handoff.occurred_at)} · Lead ${escapeMrkdwn(truncate(lead.crm_id, 100))}${crmLink}`,
      },
    ],
  });

  const decider = handoff.decided_by ? mention(handoff.decided_by) : 'someone';
  const when = handoff.decided_at ? ` ${slackDate(handoff.decided_at)}` : '';
  if (handoff.status === 'accepted') {
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: `:white_check_mark: Accepted by ${decider}${when}` },
    });
  } else if (handoff.status === 'rejected') {
    const why = handoff.reject_reason ? `: ${reasonLabels([handoff.reject_reason])}` : '';
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `:x: Rejected by ${decider}${when}${why}` } });
  }

  const buttons: Button[] =
    handoff.status === 'pending'
      ? [
          button('Accept', ACCEPT_ACTION, handoff.id, 'primary'),
          button('Reject', REJECT_ACTION, handoff.id, 'danger'),
          button('Rate lead', RATE_ACTION, handoff.id),
        ]
      : handoff.status === 'accepted'
        ? [button('Rate lead', RATE_ACTION, handoff.id)]
        : [];
  if (buttons.length > 0) {
    blocks.push({ type: 'actions', block_id: HANDOFF_ACTIONS_BLOCK, elements: buttons } satisfies ActionsBlock);
  }

  const status = handoff.status === 'pending' ? '' : ` (${handoff.status})`;
  const text = `New lead for ${owner}: ${escapeMrkdwn(truncate(lead.name, 200))}${
    lead.company ? ` at ${escapeMrkdwn(truncate(lead.company, 200))}` : ''
  }${status}`;
  return { text, blocks };
}
