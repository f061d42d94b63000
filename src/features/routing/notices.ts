import type { KnownBlock } from '@slack/types';
import type { HandoffReassignment, Lead } from '../../db/schema.js';
import { escapedWithin, mention, section } from '../../slack/kit/index.js';
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
