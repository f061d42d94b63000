import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Handoff } from '../../db/schema.js';
import { enqueue } from '../../slack/outbox.js';
import { handoffCard } from '../handoffs/blocks.js';
import type { CardContent } from '../handoffs/queries.js';
import { ownerLabel } from '../people/blocks.js';
import { burstSummaryCard, type SummarisedLead } from './summary.js';

/** How long one owner's burst window lasts. */
export const BURST_WINDOW_SECONDS = 300;
/** Leads named on a summary card; the rest are counted ("…and 180 more"). */
const SUMMARY_LEADS = 60;

/** Where a handoff's card goes and how many cards one owner may get per window before the rest are summarised. */
export interface CardPosting {
  channel: string;
  burst: number;
}

/** The owner a burst is counted for: their Slack person, else the CRM user or email the handoff names. */
function ownerKey(h: Handoff): string | undefined {
  if (h.owner_slack_user_id) return `slack:${h.owner_slack_user_id}`;
  if (h.owner_crm && h.owner_crm_id) return `crm:${h.owner_crm}:${h.owner_crm_id}`;
  return h.owner_email ? `email:${h.owner_email.toLowerCase()}` : undefined;
}

/**
 * Counts the handoff in its owner's 5-minute window (one row per owner, so concurrent handoffs for one owner
 * take turns on its lock) and says whether it is past the burst: the window restarts once 5 minutes have passed.
 */
async function countInWindow(trx: Db, key: string, burst: number) {
  const expired = sql`b.window_start <= now() - make_interval(secs => ${BURST_WINDOW_SECONDS})`;
  const result = await sql<{ summarise: boolean; summarised: number; summary_outbox_id: string | null }>`
    insert into handoff_bursts as b (owner_key, window_start, cards, summarised)
    values (${key}, now(), 1, 0)
    on conflict (owner_key) do update set
      window_start = case when ${expired} then now() else b.window_start end,
      cards = case when ${expired} then 1 when b.cards < ${burst} then b.cards + 1 else b.cards end,
      summarised = case when ${expired} then 0 when b.cards < ${burst} then b.summarised else b.summarised + 1 end,
      summary_outbox_id = case when ${expired} then null else b.summary_outbox_id end
    returning (summarised > 0 and cards >= ${burst}) as summarise, summarised, summary_outbox_id`.execute(trx);
  const [row] = result.rows;
  if (!row) throw new Error('burst window upsert returned nothing');
  return row;
}

async function summarisedLeads(trx: Db, summaryId: string): Promise<SummarisedLead[]> {
  const result = await sql<SummarisedLead>`
    select l.name as lead_name, l.company as lead_company, c.name as campaign_name
    from handoffs h
    join leads l on l.id = h.lead_id
    left join campaigns c on c.id = h.campaign_id and not c.placeholder
    where h.summary_outbox_id = ${summaryId}
    order by h.received_at desc, h.id desc
    limit ${SUMMARY_LEADS}`.execute(trx);
  return result.rows;
}

/**
 * Posts a new handoff's card, or, past `burst` handoffs for its owner within 5 minutes, lists it on the owner's
 * summary card instead (posted once per window, then edited in place). Returns the handoff with the outbox row
 * it is shown by. An edit still waiting to be sent is rewritten rather than queued again, so a 500-lead import
 * costs a handful of edits, not 500.
 */
export async function placeCard(trx: Db, card: CardContent, posting: CardPosting): Promise<Handoff> {
  const { handoff } = card;
  const key = ownerKey(handoff);
  const window = key ? await countInWindow(trx, key, posting.burst) : undefined;
  if (!window?.summarise) {
    const cardId = await enqueue(trx, {
      method: 'chat.postMessage',
      channel: posting.channel,
      payload: { ...handoffCard(card), unfurl_links: false },
    });
    return setShownBy(trx, handoff.id, { card_outbox_id: cardId });
  }
  const who = ownerLabel(handoff);
  let summaryId = window.summary_outbox_id;
  if (!summaryId) {
    const first = [{ lead_name: card.lead.name, lead_company: card.lead.company, campaign_name: campaignName(card) }];
    summaryId = await enqueue(trx, {
      method: 'chat.postMessage',
      channel: posting.channel,
      payload: burstSummaryCard(who, window.summarised, first),
    });
    await trx
      .updateTable('handoff_bursts')
      .set({ summary_outbox_id: summaryId })
      .where('owner_key', '=', key as string)
      .execute();
    return setShownBy(trx, handoff.id, { summary_outbox_id: summaryId });
  }
  const shown = await setShownBy(trx, handoff.id, { summary_outbox_id: summaryId });
  const payload = burstSummaryCard(who, window.summarised, await summarisedLeads(trx, summaryId));
  const rewritten = await trx
    .updateTable('outbox')
    .set({ payload: JSON.stringify(payload) })
    .where('depends_on', '=', summaryId)
    .where('method', '=', 'chat.update')
    .where('status', '=', 'pending')
    .where('claim_token', 'is', null)
    .returning('id')
    .execute();
  if (rewritten.length === 0) await enqueue(trx, { method: 'chat.update', dependsOn: summaryId, payload });
  return shown;
}

function campaignName({ campaign }: CardContent): string | null {
  return campaign && !campaign.placeholder ? campaign.name : null;
}

function setShownBy(trx: Db, id: string, shownBy: { card_outbox_id: string } | { summary_outbox_id: string }) {
  return trx.updateTable('handoffs').set(shownBy).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}
