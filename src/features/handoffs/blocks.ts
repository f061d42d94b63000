import type { ActionsBlock, Button, KnownBlock, ModalView, SectionBlock } from '@slack/types';
import type { Campaign, Handoff, HandoffReassignment, Lead } from '../../db/schema.js';
import {
  button,
  context,
  escapedWithin,
  field,
  link,
  mention,
  personLabel,
  plain,
  plural,
  quote,
  section,
  slackDate,
  truncate,
  waitedFor,
} from '../../slack/kit/index.js';
import { choices, commentQuestion, leadOption, ratingQuestions, reasonLabels } from '../feedback/blocks.js';
import { REASONS, REJECT_REASONS } from '../feedback/ids.js';
import { ownerLabel } from '../people/blocks.js';
import { ACCEPT_ACTION, HANDOFF_ACTIONS_BLOCK, RATE_ACTION, REJECT_ACTION, REJECT_REASON, REJECT_VIEW } from './ids.js';
import type { RejectMetadata } from './schema.js';

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
  > &
    Partial<Pick<Handoff, 'owner_crm' | 'owner_crm_id' | 'owner_name'>>;
  lead: Pick<Lead, 'crm_id' | 'name' | 'email' | 'company' | 'title' | 'phone' | 'score' | 'source' | 'url'>;
  campaign: Pick<Campaign, 'name' | 'url' | 'placeholder'> | undefined;
  /** Its reassignments, oldest first. */
  history?: ReadonlyArray<
    Pick<HandoffReassignment, 'from_slack_user_id' | 'to_slack_user_id' | 'reason' | 'waited_seconds' | 'reassigned_at'>
  >;
}

/** Reasons a reassignment records: the SLA ran out twice, counted in working hours or around the clock. */
export const REASSIGN_REASONS = { sla: 'sla', slaWorkingHours: 'sla_working_hours' } as const;

/** "4 working hours", "45 minutes": how long the previous owner had the lead. */
export function heldFor(seconds: number, reason: string): string {
  const working = reason === REASSIGN_REASONS.slaWorkingHours ? 'working ' : '';
  const minutes = Math.max(0, Math.floor(seconds / 60));
  if (minutes < 120) return plural(minutes, `${working}minute`);
  return plural(Math.floor(minutes / 60), `${working}hour`);
}

/** A handoff's own buttons, on its card and on the owner's Home tab: the same action ids and values. */
export function handoffButtons(handoffId: string, status: Handoff['status']): Button[] {
  if (status === 'pending') {
    return [
      button('Accept', ACCEPT_ACTION, handoffId, 'primary'),
      button('Reject', REJECT_ACTION, handoffId, 'danger'),
      button('Rate lead', RATE_ACTION, handoffId),
    ];
  }
  return status === 'accepted' ? [button('Rate lead', RATE_ACTION, handoffId)] : [];
}

/** The card in SALES_CHANNEL for one handoff, in its current state: pending, accepted, rejected or superseded. */
export function handoffCard({ handoff, lead, campaign, history = [] }: HandoffCardInput): {
  text: string;
  blocks: KnownBlock[];
} {
  const owner = ownerLabel(handoff);
  const name = link(lead.url, truncate(lead.name, 200));
  const at = lead.company ? ` at *${escapedWithin(lead.company, 200)}*` : '';

  const fields = (
    [
      ['Title', lead.title ? escapedWithin(lead.title, 200) : null],
      ['Score', lead.score === null ? null : `${lead.score}/100`],
      ['Source', lead.source ? escapedWithin(lead.source, 200) : null],
      ['Campaign', campaign && !campaign.placeholder ? link(campaign.url, truncate(campaign.name, 200)) : null],
      ['Email', lead.email ? escapedWithin(lead.email, 320) : null],
      ['Phone', lead.phone ? escapedWithin(lead.phone, 100) : null],
    ] as const
  )
    .filter(([, value]) => value)
    .map(([label, value]) => field(`*${label}*\n${value}`));

  const blocks: KnownBlock[] = [section(`:incoming_envelope: New lead for ${owner}: *${name}*${at}`)];
  if (fields.length > 0) blocks.push({ type: 'section', fields } satisfies SectionBlock);
  if (handoff.notes) blocks.push(section(quote(handoff.notes)));
  const crmLink = lead.url ? ` · ${link(lead.url, 'Open in CRM')}` : '';
  blocks.push(
    context(
      `Handed off ${slackDate(handoff.occurred_at, { withTime: true })} · Lead ${escapedWithin(lead.crm_id, 100)}${crmLink}`,
    ),
  );

  // The last few moves, newest last; MAX_REASSIGNMENTS keeps this short in practice.
  for (const move of history.slice(-5)) {
    blocks.push(
      context(
        `:arrows_counterclockwise: Reassigned from ${mention(move.from_slack_user_id)} to ${mention(move.to_slack_user_id)} ` +
          `after ${heldFor(move.waited_seconds, move.reason)} without an answer · ${slackDate(move.reassigned_at, { withTime: true })}`,
      ),
    );
  }

  const decider = handoff.decided_by ? mention(handoff.decided_by) : 'someone';
  const when = handoff.decided_at ? ` ${slackDate(handoff.decided_at, { withTime: true })}` : '';
  if (handoff.status === 'accepted') blocks.push(section(`:white_check_mark: Accepted by ${decider}${when}`));
  else if (handoff.status === 'rejected') {
    const why = handoff.reject_reason ? `: ${reasonLabels([handoff.reject_reason])}` : '';
    blocks.push(section(`:x: Rejected by ${decider}${when}${why}`));
  } else if (handoff.status === 'superseded') {
    blocks.push(
      section(`:arrows_counterclockwise: Superseded${when}: this lead was handed off again, see its newer card.`),
    );
  }

  const buttons = handoffButtons(handoff.id, handoff.status);
  if (buttons.length > 0) {
    blocks.push({ type: 'actions', block_id: HANDOFF_ACTIONS_BLOCK, elements: buttons } satisfies ActionsBlock);
  }

  const status = handoff.status === 'pending' ? '' : ` (${handoff.status})`;
  const text = `New lead for ${owner}: ${escapedWithin(lead.name, 200)}${
    lead.company ? ` at ${escapedWithin(lead.company, 200)}` : ''
  }${status}`;
  return { text, blocks };
}

/** The modal a lead's owner rejects it in: why (required), then the questions every rating asks. */
export function rejectModal(
  lead: Pick<Lead, 'id' | 'name' | 'company' | 'crm_id'>,
  metadata: RejectMetadata,
): ModalView {
  return {
    type: 'modal',
    callback_id: REJECT_VIEW,
    title: plain('Reject lead'),
    submit: plain('Reject lead'),
    close: plain('Cancel'),
    private_metadata: JSON.stringify(metadata),
    blocks: [
      section(`Rejecting *${escapedWithin(leadOption(lead).text.text, 200)}*. Marketing will see why.`),
      {
        type: 'input',
        block_id: REJECT_REASON.block,
        label: plain('Why are you rejecting it?'),
        element: {
          type: 'radio_buttons',
          action_id: REJECT_REASON.action,
          options: choices(REJECT_REASONS.map((code) => [code, REASONS[code]])),
        },
      },
      ...ratingQuestions(),
      ...commentQuestion(),
    ],
  };
}

/** A handoff past its SLA, with what the reminder and the escalation name. */
export interface OverdueHandoff {
  owner_slack_user_id: string | null;
  owner_email: string | null;
  lead_name: string;
  lead_company: string | null;
  campaign_name: string | null;
  /** Seconds between the handoff and the check. */
  waited_seconds: number;
}

function overdueLead(h: OverdueHandoff): string {
  const company = h.lead_company ? ` at ${escapedWithin(h.lead_company, 200)}` : '';
  const campaign = h.campaign_name ? ` (${escapedWithin(h.campaign_name, 200)})` : '';
  return `*${escapedWithin(h.lead_name, 200)}*${company}${campaign}`;
}

function message(text: string) {
  return { text, blocks: [section(text)] as KnownBlock[], unfurl_links: false as const };
}

/**
 * The reminder to the owner. In the card's thread the lead is the card's (`inThread`); posted in the channel
 * instead (a handoff without a card), it names the lead.
 */
export function slaReminder(h: OverdueHandoff, inThread: boolean) {
  const owner = personLabel({ slackUserId: h.owner_slack_user_id, email: h.owner_email }, 'Sales team');
  const lead = inThread ? 'this lead' : overdueLead(h);
  return message(
    `:alarm_clock: ${owner} ${lead} has waited ${waitedFor(h.waited_seconds)}: please accept or reject it.`,
  );
}

/** The escalation in SALES_CHANNEL, for the sales manager when one is configured. */
export function slaEscalation(h: OverdueHandoff, managerUserId: string | undefined) {
  const owner = personLabel({ slackUserId: h.owner_slack_user_id, email: h.owner_email }, 'nobody in particular');
  const to = managerUserId ? `${mention(managerUserId)} ` : '';
  return message(
    `:rotating_light: ${to}${overdueLead(h)} has waited ${waitedFor(h.waited_seconds)} for ${owner} ` +
      'to accept or reject it, twice the handoff SLA.',
  );
}
