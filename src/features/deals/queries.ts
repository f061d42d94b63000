import { type Expression, type ExpressionBuilder, sql } from 'kysely';
import { lockUntilCommit } from '../../db/advisory-lock.js';
import type { Db } from '../../db/database.js';
import type { Campaign, Database, Deal, Lead } from '../../db/schema.js';

/** The lead a deal names: by CRM id, else by email (any case; the most recently updated of several). */
export async function findDealLead(
  db: Db,
  ref: { lead_id?: string | undefined; lead_email?: string | undefined },
): Promise<Lead | undefined> {
  if (ref.lead_id) {
    const lead = await db.selectFrom('leads').selectAll().where('crm_id', '=', ref.lead_id).executeTakeFirst();
    if (lead) return lead;
  }
  if (!ref.lead_email) return undefined;
  return db
    .selectFrom('leads')
    .selectAll()
    .where(sql`lower(email)`, '=', ref.lead_email.toLowerCase())
    .orderBy('updated_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function findCampaignById(db: Db, id: string): Promise<Campaign | undefined> {
  return db.selectFrom('campaigns').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The latest rating sales gave the lead, if any. */
export async function latestLeadRating(db: Db, leadId: string): Promise<number | undefined> {
  const row = await db
    .selectFrom('lead_feedback')
    .select('rating')
    .where('lead_id', '=', leadId)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.rating;
}

/**
 * The stored deal, with concurrent events for the same deal taking turns until the transaction ends. A row lock
 * cannot hold a deal that does not exist yet, so two first events would both see none and both think they had
 * the first word: a transaction-scoped advisory lock on the CRM id serialises them, the first included.
 */
export async function lockDeal(db: Db, crmId: string): Promise<Deal | undefined> {
  await lockUntilCommit(db, `deal:${crmId}`);
  return db.selectFrom('deals').selectAll().where('crm_id', '=', crmId).executeTakeFirst();
}

/** A deal as an event states it: the stored columns, less bookkeeping. */
export type DealFacts = Omit<
  Deal,
  'id' | 'amount' | 'closed_at' | 'celebration_outbox_id' | 'created_at' | 'updated_at'
> & {
  amount: number;
  /** Absent: now on first sight, else the stored close date is kept. */
  closed_at: string | undefined;
};

/**
 * Inserts or updates the deal by its CRM id. What an event leaves out (close date, company, lead and campaign
 * references) keeps its stored value, so a partial correction does not erase the attribution.
 */
export async function upsertDeal(db: Db, facts: DealFacts): Promise<Deal> {
  const { closed_at, ...rest } = facts;
  return db
    .insertInto('deals')
    .values({ ...rest, closed_at: closed_at ?? sql<Date>`now()` })
    .onConflict((oc) =>
      oc.column('crm_id').doUpdateSet((eb) => ({
        name: eb.ref('excluded.name'),
        amount: eb.ref('excluded.amount'),
        currency: eb.ref('excluded.currency'),
        stage: eb.ref('excluded.stage'),
        lost_reason: eb.ref('excluded.lost_reason'),
        closed_at: closed_at === undefined ? eb.ref('deals.closed_at') : eb.ref('excluded.closed_at'),
        company: eb.fn.coalesce('excluded.company', 'deals.company'),
        lead_id: eb.fn.coalesce('excluded.lead_id', 'deals.lead_id'),
        lead_crm_id: eb.fn.coalesce('excluded.lead_crm_id', 'deals.lead_crm_id'),
        lead_email: eb.fn.coalesce('excluded.lead_email', 'deals.lead_email'),
        campaign_id: eb.fn.coalesce('excluded.campaign_id', 'deals.campaign_id'),
        url: eb.fn.coalesce('excluded.url', 'deals.url'),
        owner_email: eb.ref('excluded.owner_email'),
        owner_slack_user_id: eb.ref('excluded.owner_slack_user_id'),
        // Never back in time, even when two events for a new deal raced to insert it.
        source_updated_at: sql<Date>`greatest(excluded.source_updated_at, deals.source_updated_at)`,
        updated_at: sql<Date>`now()`,
      })),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function setCelebration(db: Db, dealId: string, outboxId: string): Promise<void> {
  await db.updateTable('deals').set({ celebration_outbox_id: outboxId }).where('id', '=', dealId).execute();
}

/** Deals that named this lead (by CRM id, else email) before it was known, locked for the caller's update. */
export async function findWaitingDeals(db: Db, lead: Pick<Lead, 'crm_id' | 'email'>): Promise<Deal[]> {
  const waiting = waitingFor({ crmId: sql.val(lead.crm_id), email: sql.val(lead.email) });
  return db.selectFrom('deals').selectAll().where(waiting).forUpdate().execute();
}

/**
 * Deals that named a lead (by CRM id or email, any case) before it was stored, and so have no lead yet: the lead's
 * values, or its columns in a statement that writes it.
 */
export function waitingFor(lead: { crmId: Expression<string>; email: Expression<string | null> }) {
  return (eb: ExpressionBuilder<Database, 'deals'>) =>
    eb.and([
      eb('deals.lead_id', 'is', null),
      eb.or([
        eb('deals.lead_crm_id', '=', lead.crmId),
        eb(sql`lower(deals.lead_email)`, '=', sql`lower(${lead.email})`),
      ]),
    ]);
}

export async function attachLead(db: Db, dealId: string, leadId: string, campaignId: string | null): Promise<Deal> {
  return db
    .updateTable('deals')
    .set({ lead_id: leadId, campaign_id: campaignId, updated_at: sql<Date>`now()` })
    .where('id', '=', dealId)
    .returningAll()
    .executeTakeFirstOrThrow();
}
