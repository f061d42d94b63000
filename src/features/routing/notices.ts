import type { KnownBlock } from '@slack/types';
import type { Campaign, HandoffReassignment, Lead } from '../../db/schema.js';
import { escapedWithin, mention, mentionList, plural, section } from '../../slack/kit/index.js';
import { heldFor } from '../handoffs/blocks.js';

function message(text: string) {
  return { text, blocks: [section(text)] as KnownBlock[], unfurl_links: false as const };
}

/**
 * The mention that tells the new owner a lead is theirs now: in the card's thread (`onCard`), else naming the
 * lead and pointing to App Home, where every pending lead has its buttons.
 */
export function reassignedNotice(
  lead: Pick<Lead, 'name' | 'company'>,
  move: Pick<HandoffReassignment, 'from_slack_user_id' | 'to_slack_user_id' | 'waited_seconds' | 'reason'>,
  onCard: boolean,
) {
  const company = lead.company ? ` at ${escapedWithin(lead.company, 200)}` : '';
  const what = onCard ? 'This lead' : `*${escapedWithin(lead.name, 200)}*${company}`;
  const where = onCard ? 'Accept or reject it on the card.' : 'Accept or reject it from Tandem’s Home tab.';
  return message(
    `:arrows_counterclockwise: ${mention(move.to_slack_user_id)} ${what} is yours now: ${mention(move.from_slack_user_id)} ` +
      `did not answer within twice the SLA (${heldFor(move.waited_seconds, move.reason)}). ${where}`,
  );
}

/**
 * One mention for the leads of a burst summary that came to one new owner at once, in the summary's thread: how
 * many, from whom, as many names as fit, and the Home tab where each has its buttons.
 */
export function reassignedSummaryNotice(
  leads: Array<{ lead: Pick<Lead, 'name' | 'company'>; campaign: Pick<Campaign, 'name' | 'placeholder'> | undefined }>,
  moves: Array<Pick<HandoffReassignment, 'from_slack_user_id' | 'to_slack_user_id'>>,
) {
  const to = moves[0]?.to_slack_user_id ?? '';
  const from = [...new Set(moves.map((m) => m.from_slack_user_id))];
  const head =
    `:arrows_counterclockwise: ${mention(to)} ${plural(leads.length, 'lead')} from this summary are yours now: ` +
    `${mentionList(from)} did not answer within twice the SLA. Accept or reject them from Tandem’s Home tab.`;
  let list = '';
  for (const { lead, campaign } of leads) {
    const company = lead.company ? ` at ${escapedWithin(lead.company, 100)}` : '';
    const named = campaign && !campaign.placeholder ? ` · ${escapedWithin(campaign.name, 100)}` : '';
    const line = `• *${escapedWithin(lead.name, 150)}*${company}${named}`;
    if (list.length + line.length + 1 > 2_800) break;
    list = list ? `${list}\n${line}` : line;
  }
  return { text: head, blocks: [section(head), section(list)] as KnownBlock[], unfurl_links: false as const };
}
