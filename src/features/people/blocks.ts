import type { Handoff } from '../../db/schema.js';
import { escapedWithin, mention } from '../../slack/kit/index.js';
import { isQueue } from './record.js';

type OwnerFields = Pick<Handoff, 'owner_slack_user_id' | 'owner_email'> &
  Partial<Pick<Handoff, 'owner_crm' | 'owner_crm_id' | 'owner_name'>>;

/**
 * Whose a handoff is, for its card: a mention; a queue (anyone may take it); or a person the CRM named who is not
 * in Slack yet, said plainly so that nobody takes the card for anyone's.
 */
export function ownerLabel(h: OwnerFields): string {
  if (h.owner_slack_user_id) return mention(h.owner_slack_user_id);
  const name = h.owner_name ? escapedWithin(h.owner_name, 200) : undefined;
  if (h.owner_crm && h.owner_crm_id && isQueue({ crm: h.owner_crm, id: h.owner_crm_id })) {
    return `the ${name ? `*${name}* ` : ''}queue (not a person: anyone in sales may take it)`;
  }
  const email = h.owner_email ? escapedWithin(h.owner_email, 320) : undefined;
  const who =
    name && email ? `${name} (${email})` : (name ?? email ?? escapedWithin(h.owner_crm_id ?? 'its owner', 100));
  return `${who}, who is not in Slack yet (an admin can map them with \`/tandem map\`)`;
}
