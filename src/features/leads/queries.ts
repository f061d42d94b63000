import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Campaign, Handoff, Lead } from '../../db/schema.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A lead by what a person typed: its CRM id, its email (any case) or our own id. */
export async function findLeadByReference(db: Db, reference: string): Promise<Lead | undefined> {
  const ref = reference.trim();
  if (!ref) return undefined;
  return (
    db
      .selectFrom('leads')
      .selectAll()
      .where((eb) =>
        eb.or([
          eb('crm_id', '=', ref),
          eb(sql`lower(email)`, '=', ref.toLowerCase()),
          ...(UUID.test(ref) ? [eb('id', '=', ref)] : []),
        ]),
      )
      // An exact CRM id beats an email shared by several leads; among those, the most recently touched wins.
      .orderBy(sql`crm_id = ${ref}`, 'desc')
      .orderBy('updated_at', 'desc')
      .limit(1)
      .executeTakeFirst()
  );
}

export async function findLeadById(db: Db, id: string): Promise<Lead | undefined> {
  if (!UUID.test(id)) return undefined;
  return db.selectFrom('leads').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Leads whose name, company, email or CRM id contains the query, most recently handed off first. */
export async function searchLeads(db: Db, query: string, limit = 20): Promise<Lead[]> {
  const pattern = `%${query.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return db
    .selectFrom('leads')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb('name', 'ilike', pattern),
        eb('company', 'ilike', pattern),
        eb('email', 'ilike', pattern),
        eb('crm_id', 'ilike', pattern),
      ]),
    )
    .orderBy('updated_at', 'desc')
    .limit(limit)
    .execute();
}

/**
 * One of the lead's handoffs with its campaign: the one asked for, else the most recent (latest `occurred_at`,
 * ties to the one received last), which is what feedback and deals are attributed to.
 */
export async function leadHandoff(
  db: Db,
  leadId: string,
  handoffId?: string,
): Promise<{ handoff: Handoff; campaign: Campaign | undefined } | undefined> {
  const handoff = await db
    .selectFrom('handoffs')
    .selectAll()
    .where('lead_id', '=', leadId)
    .$if(handoffId !== undefined && UUID.test(handoffId), (q) => q.where('id', '=', handoffId as string))
    .orderBy('occurred_at', 'desc')
    .orderBy('received_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!handoff) return undefined;
  const campaign = handoff.campaign_id
    ? await db.selectFrom('campaigns').selectAll().where('id', '=', handoff.campaign_id).executeTakeFirst()
    : undefined;
  return { handoff, campaign };
}

/**
 * The campaign a CRM id names. One we have not heard of yet (its campaign event may arrive later) is created as
 * a placeholder, so the handoff or deal keeps its attribution and the campaign event fills in the rest.
 */
export async function campaignByCrmId(db: Db, crmId: string, options: { lock?: boolean } = {}): Promise<Campaign> {
  await db
    .insertInto('campaigns')
    .values({ crm_id: crmId, name: crmId, status: 'planned', placeholder: true })
    .onConflict((oc) => oc.column('crm_id').doNothing())
    .execute();
  return (
    db
      .selectFrom('campaigns')
      .selectAll()
      .where('crm_id', '=', crmId)
      // Locked, two events for one campaign take turns instead of both announcing it.
      .$if(options.lock === true, (q) => q.forUpdate())
      .executeTakeFirstOrThrow()
  );
}
