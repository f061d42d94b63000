import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Handoff } from '../../db/schema.js';
import { enqueue } from '../../slack/outbox.js';
import { handoffCard } from '../handoffs/blocks.js';
import type { CardCampaign, CardContent } from '../handoffs/queries.js';
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
  /** The card was taken from the owner's window beforehand (reserveCard): post it without counting. */
  cardReserved?: boolean | undefined;
}

/** The owner a burst is counted for: their Slack person, else the CRM user or email the handoff names. */
export function ownerKey(
  h: Pick<Handoff, 'owner_slack_user_id' | 'owner_crm' | 'owner_crm_id' | 'owner_email'>,
): string | undefined {
  if (h.owner_slack_user_id) return `slack:${h.owner_slack_user_id}`;
  if (h.owner_crm && h.owner_crm_id) return `crm:${h.owner_crm}:${h.owner_crm_id}`;
  return h.owner_email ? `email:${h.owner_email.toLowerCase()}` : undefined;
}

/**
 * Takes one of the owner's cards in their current window before the handoff's transaction, in a statement of its
 * own, so that one owner's concurrent handoffs do not take turns on the window row until each commits (a commit
 * waits for the disk: a few milliseconds each). True: the card is theirs, the transaction posts it without
 * counting again. False (no window yet, an expired one, or past the burst): the transaction decides, counting
 * under the row's lock as before. A card taken by an event that then fails or turns out stale is not given back:
 * the owner gets fewer cards in that window, never more. The statement's commit need not wait for the disk
 * (`synchronous_commit` off for it alone): the handoff's own commit, later, flushes it too, and a lost count
 * after a crash again errs towards fewer cards.
 */
export async function reserveCard(db: Db, key: string | undefined, burst: number, eventId: string): Promise<boolean> {
  if (!key) return false;
  const { rows } = await sql`
    with async_commit as (select set_config('synchronous_commit', 'off', true))
    update handoff_bursts set cards = cards + 1
    where owner_key = ${key} and cards < ${burst}
      and window_start > now() - make_interval(secs => ${BURST_WINDOW_SECONDS})
      and not exists (select 1 from webhook_events where event_id = ${eventId})
      and exists (select 1 from async_commit)
    returning cards`.execute(db);
  return rows.length > 0;
}

/** The owner's window after counting this handoff: whether it is past the burst, and its summary card so far. */
interface BurstWindow {
  window_summarise: boolean;
  window_summarised: number;
  window_summary_id: string | null;
}

/**
 * Counts the handoff in its owner's 5-minute window (one row per owner, so concurrent handoffs for one owner
 * take turns on its lock) and says whether it is past the burst: the window restarts once 5 minutes have passed.
 * A handoff with no owner at all, or whose card was reserved, is not counted here.
 */
function countInWindow(key: string | undefined, burst: number) {
  if (!key) return sql`select false as window_summarise, 0 as window_summarised, null::uuid as window_summary_id`;
  const expired = sql`b.window_start <= now() - make_interval(secs => ${BURST_WINDOW_SECONDS})`;
  return sql`
    insert into handoff_bursts as b (owner_key, window_start, cards, summarised)
    values (${key}, now(), 1, 0)
    on conflict (owner_key) do update set
      window_start = case when ${expired} then now() else b.window_start end,
      cards = case when ${expired} then 1 when b.cards < ${burst} then b.cards + 1 else b.cards end,
      summarised = case when ${expired} then 0 when b.cards < ${burst} then b.summarised else b.summarised + 1 end,
      summary_outbox_id = case when ${expired} then null else b.summary_outbox_id end
    returning (summarised > 0 and cards >= ${burst}) as window_summarise, summarised as window_summarised,
      summary_outbox_id as window_summary_id`;
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

/** What a new handoff's card shows beside it. */
type ShownWith = { lead: CardContent['lead']; campaign: CardCampaign | undefined };

/** A handoff about to be stored: its row's values, the id and time included (they are on its card). */
export type NewHandoff = Pick<
  Handoff,
  | 'id'
  | 'event_id'
  | 'lead_id'
  | 'campaign_id'
  | 'owner_email'
  | 'owner_slack_user_id'
  | 'owner_crm'
  | 'owner_crm_id'
  | 'owner_name'
  | 'notes'
  | 'occurred_at'
>;

/**
 * Stores a new pending handoff and posts its card, or, past `burst` handoffs for its owner within 5 minutes, lists
 * it on the owner's summary card instead (posted once per window, then edited in place). Returns the handoff with
 * the outbox row it is shown by.
 *
 * One statement: the owner's window (unless reserveCard took the card already), the card and the handoff. A
 * count here holds the owner's window row until the commit, so the rest of the transaction is short: it comes last.
 * An edit of a summary still waiting to be sent is rewritten rather than queued again, so a 500-lead import costs
 * a handful of edits, not 500.
 */
export async function insertWithCard(
  trx: Db,
  handoff: NewHandoff,
  shown: ShownWith,
  posting: CardPosting,
): Promise<Handoff> {
  const pending = { ...handoff, status: 'pending', decided_by: null, decided_at: null, reject_reason: null } as const;
  const cardId = randomUUID();
  const payload = JSON.stringify({ ...handoffCard({ ...shown, handoff: pending }), unfurl_links: false });
  const h = handoff;
  const { rows } = await sql<Handoff & BurstWindow>`
    with w as (${countInWindow(posting.cardReserved ? undefined : ownerKey(pending), posting.burst)}),
    card as (
      insert into outbox (id, method, channel, payload)
      select cast(${cardId} as uuid), 'chat.postMessage', cast(${posting.channel} as text), cast(${payload} as jsonb)
      from w where not w.window_summarise
      returning id
    ),
    h as (
      insert into handoffs (id, event_id, lead_id, campaign_id, owner_email, owner_slack_user_id, owner_crm,
        owner_crm_id, owner_name, notes, occurred_at, card_outbox_id, summary_outbox_id)
      values (${h.id}, ${h.event_id}, ${h.lead_id}, ${h.campaign_id}, ${h.owner_email}, ${h.owner_slack_user_id},
        ${h.owner_crm}, ${h.owner_crm_id}, ${h.owner_name}, ${h.notes}, ${h.occurred_at}, (select id from card),
        (select window_summary_id from w where window_summarise))
      returning *
    )
    select h.*, w.* from h cross join w`.execute(trx);
  const [row] = rows;
  if (!row) throw new Error('the handoff insert returned nothing');
  const { window_summarise, window_summarised, window_summary_id, ...stored } = row;
  if (!window_summarise) return stored;
  return summarise(trx, { ...shown, handoff: stored }, posting, {
    summarised: window_summarised,
    summaryId: window_summary_id,
  });
}

/** Lists a handoff past its owner's burst on their summary card: posts the card, or rewrites it. */
async function summarise(
  trx: Db,
  card: ShownWith & { handoff: Handoff },
  posting: CardPosting,
  window: { summarised: number; summaryId: string | null },
): Promise<Handoff> {
  const { handoff } = card;
  const who = ownerLabel(handoff);
  if (!window.summaryId) {
    const first = [{ lead_name: card.lead.name, lead_company: card.lead.company, campaign_name: campaignName(card) }];
    const summaryId = await enqueue(trx, {
      method: 'chat.postMessage',
      channel: posting.channel,
      payload: burstSummaryCard(who, window.summarised, first),
    });
    await trx
      .updateTable('handoff_bursts')
      .set({ summary_outbox_id: summaryId })
      .where('owner_key', '=', ownerKey(handoff) as string)
      .execute();
    return setShownBy(trx, handoff.id, { summary_outbox_id: summaryId });
  }
  const summaryId = window.summaryId;
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
  return handoff;
}

function campaignName({ campaign }: Pick<ShownWith, 'campaign'>): string | null {
  return campaign && !campaign.placeholder ? campaign.name : null;
}

function setShownBy(trx: Db, id: string, shownBy: { summary_outbox_id: string }) {
  return trx.updateTable('handoffs').set(shownBy).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}
