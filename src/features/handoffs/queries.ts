import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Campaign, Handoff, HandoffReassignment, Lead } from '../../db/schema.js';
import { waitingFor } from '../deals/queries.js';
import { routedChannel } from '../routing/queries.js';
import type { OverdueHandoff } from './blocks.js';

export interface CardContent {
  handoff: Handoff;
  lead: Lead;
  campaign: Campaign | undefined;
  /** Reassignments of this handoff, oldest first: the card shows where it has been. */
  history: HandoffReassignment[];
}

/** The lead and campaign a handoff's card shows beside it, and its reassignments. */
export async function cardContext(db: Db, handoff: Handoff): Promise<CardContent> {
  const lead = await db.selectFrom('leads').selectAll().where('id', '=', handoff.lead_id).executeTakeFirstOrThrow();
  const campaign = handoff.campaign_id
    ? await db.selectFrom('campaigns').selectAll().where('id', '=', handoff.campaign_id).executeTakeFirst()
    : undefined;
  const history =
    handoff.reassignments > 0
      ? await db
          .selectFrom('handoff_reassignments')
          .selectAll()
          .where('handoff_id', '=', handoff.id)
          .orderBy('reassigned_at')
          .execute()
      : [];
  return { handoff, lead, campaign, history };
}

export async function findHandoff(db: Db, handoffId: string): Promise<Handoff | undefined> {
  return db.selectFrom('handoffs').selectAll().where('id', '=', handoffId).executeTakeFirst();
}

/** The handoff, locked until the transaction ends, so two decisions on it take turns. */
export async function lockHandoff(trx: Db, handoffId: string): Promise<Handoff | undefined> {
  return trx.selectFrom('handoffs').selectAll().where('id', '=', handoffId).forUpdate().executeTakeFirst();
}

/** Handoffs claimed per transaction, so a large backlog (the first run after a deploy) is worked off in steps. */
export const SLA_BATCH = 200;

export type SlaStep = 'remind' | 'escalate';

export interface ClaimedOverdue extends OverdueHandoff {
  id: string;
  card_outbox_id: string | null;
  /** Set when the handoff has no card of its own but is listed on its owner's burst summary card. */
  summary_outbox_id: string | null;
}

/**
 * Marks up to BATCH pending handoffs past their SLA (`sla_due_at`, for the reminder) or twice it (`sla_late_at`,
 * for the escalation) as reminded (or escalated) and returns them. The mark is the claim: on every replica the
 * same UPDATE runs, and a row already marked (or locked by another replica's claim, skipped) is never returned
 * twice. Accepted and rejected handoffs are no longer pending.
 */
export async function claimOverdue(
  trx: Db,
  step: SlaStep,
  /** Leave out what the reassignment step owns: pool members' handoffs reassigned fewer than this many times. */
  reassignBelow?: number,
): Promise<ClaimedOverdue[]> {
  const column = step === 'remind' ? sql.ref('sla_reminded_at') : sql.ref('sla_escalated_at');
  const due = step === 'remind' ? sql.ref('sla_due_at') : sql.ref('sla_late_at');
  const notReassignable =
    reassignBelow === undefined
      ? sql``
      : sql`and not (reassignments < ${reassignBelow}
          and owner_slack_user_id in (select slack_user_id from pool_members))`;
  const result = await sql<ClaimedOverdue>`
    with claimed as (
      update handoffs set ${column} = now()
      where id in (
        select id from handoffs
        where status = 'pending' and ${column} is null
          and ${due} <= now() ${notReassignable}
        order by occurred_at
        limit ${SLA_BATCH}
        for update skip locked
      )
      returning id, lead_id, campaign_id, owner_slack_user_id, owner_email, card_outbox_id, summary_outbox_id,
        occurred_at, sla_started_at
    )
    select claimed.id, claimed.owner_slack_user_id, claimed.owner_email, claimed.card_outbox_id,
      claimed.summary_outbox_id, leads.name as lead_name, leads.company as lead_company,
      campaigns.name as campaign_name,
      extract(epoch from now() - coalesce(claimed.sla_started_at, claimed.occurred_at))::float8 as waited_seconds
    from claimed
    join leads on leads.id = claimed.lead_id
    left join campaigns on campaigns.id = claimed.campaign_id and not campaigns.placeholder
    order by claimed.occurred_at`.execute(trx);
  return result.rows;
}

/** What storing a handoff needs besides its lead (handoffSurroundings). */
export interface HandoffSurroundings {
  /** Undefined when the event names no campaign, or one not stored yet. */
  campaign: Campaign | undefined;
  /** The channel its campaign's route (else the default route) names; null: none does. */
  routedChannel: string | null;
  /** Whether deals named the lead before it was stored (they are attached once the handoff is). */
  dealsWaiting: boolean;
}

/**
 * Its campaign, its route and whether deals wait for its lead, in one read rather than three: on the webhook's
 * path every statement is a round trip inside the transaction.
 */
export async function handoffSurroundings(
  db: Db,
  campaignCrmId: string | undefined,
  lead: Pick<Lead, 'crm_id' | 'email'>,
): Promise<HandoffSurroundings> {
  const waiting = db.selectFrom('deals').select(sql`1`.as('one')).where(waitingFor(lead));
  const { rows } = await sql<Campaign & { routed_channel: string | null; deals_waiting: boolean }>`
    select c.*, ${routedChannel(campaignCrmId)} as routed_channel, exists (${waiting}) as deals_waiting
    from (select 1) as one left join campaigns c on c.crm_id = ${campaignCrmId ?? null}`.execute(db);
  const [row] = rows;
  if (!row) throw new Error('handoffSurroundings returned no row');
  const { routed_channel, deals_waiting, ...campaign } = row;
  return {
    campaign: campaign.id ? campaign : undefined,
    routedChannel: routed_channel,
    dealsWaiting: deals_waiting,
  };
}
