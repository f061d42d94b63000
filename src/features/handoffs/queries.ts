import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Campaign, Handoff, HandoffReassignment, Lead } from '../../db/schema.js';
import { waitingFor } from '../deals/queries.js';
import { nextSourceTime } from '../event-time.js';
import { routedChannel } from '../routing/queries.js';
import type { OverdueHandoff } from './blocks.js';
import type { LeadHandoffEvent } from './schema.js';

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

/** A handoff's campaign as its card shows it. */
export type CardCampaign = Pick<Campaign, 'id' | 'name' | 'url' | 'placeholder'>;

/**
 * What storing a handoff needs besides its lead, as columns its lead's upsert returns (a round trip fewer on the
 * webhook's path): the campaign (null when not stored yet), the channel its route names (else the default
 * route's; null: neither), and whether deals wait for the lead. Read after the lead's locks, so a deal stored
 * meanwhile is seen.
 */
export function surroundingsOfHandoff(db: Db, campaignCrmId: string | undefined) {
  const waiting = db
    .selectFrom('deals')
    .select(sql`1`.as('one'))
    .where(waitingFor({ crmId: sql.ref('leads.crm_id'), email: sql.ref('leads.email') }));
  return [
    sql<CardCampaign | null>`(select jsonb_build_object('id', c.id, 'name', c.name, 'url', c.url,
      'placeholder', c.placeholder) from campaigns c where c.crm_id = ${campaignCrmId ?? null})`.as('campaign'),
    routedChannel(campaignCrmId).as('routed_channel'),
    sql<boolean>`exists (${waiting})`.as('deals_waiting'),
  ] as const;
}

/** Lead fields a handoff may carry: one it leaves out keeps what an earlier event stored. */
const OPTIONAL_LEAD_FIELDS = ['email', 'company', 'title', 'phone', 'score', 'source', 'url'] as const;

/**
 * Creates or updates the event's lead, unless the event is older than what is stored for it (undefined: the event
 * is late). Also says whether the lead was stored before, the transaction's time, and the handoff's surroundings.
 */
export async function upsertLead(trx: Db, event: LeadHandoffEvent) {
  const { lead: l, occurred_at: occurredAt } = event;
  const fields = {
    name: l.name,
    email: l.email ?? null,
    company: l.company ?? null,
    title: l.title ?? null,
    phone: l.phone ?? null,
    score: l.score ?? null,
    source: l.source ?? null,
    url: l.url ?? null,
    source_updated_at: nextSourceTime(null, occurredAt),
  };
  return trx
    .insertInto('leads')
    .values({ crm_id: l.id, ...fields })
    .onConflict((oc) =>
      oc
        .column('crm_id')
        .doUpdateSet((eb) => ({
          name: eb.ref('excluded.name'),
          ...Object.fromEntries(
            OPTIONAL_LEAD_FIELDS.map((field) => [field, eb.fn.coalesce(`excluded.${field}`, `leads.${field}`)]),
          ),
          source_updated_at: sql<Date>`greatest(excluded.source_updated_at, leads.source_updated_at)`,
          updated_at: sql<Date>`now()`,
        }))
        // A late event leaves the lead as it is (isStaleEvent, in SQL): the conflict still locks the row.
        .where((eb) =>
          occurredAt === undefined
            ? eb.lit(true)
            : eb.or([
                eb('leads.source_updated_at', 'is', null),
                eb('leads.source_updated_at', '<=', new Date(occurredAt)),
              ]),
        ),
    )
    .returningAll()
    .returning([
      sql<Date>`now()`.as('tx_now'),
      sql<boolean>`leads.created_at < now()`.as('existed'),
      ...surroundingsOfHandoff(trx, l.campaign_id),
    ])
    .executeTakeFirst();
}
