import { type RawBuilder, sql } from 'kysely';
import { lockUntilCommit } from '../../db/advisory-lock.js';
import type { Db } from '../../db/database.js';
import type { Campaign, Handoff, Lead } from '../../db/schema.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A lead by what a person typed: its CRM id, its email (any case) or our own id. */
export async function findLeadByReference(db: Db, reference: string): Promise<Lead | undefined> {
  const [lead] = await findLeadsByReferences(db, [reference]);
  return lead;
}

/**
 * findLeadByReference for several references in one statement (a lateral join): the i-th result is the i-th
 * reference's lead. An exact CRM id beats an email shared by several leads; among those, the most recently touched
 * wins.
 */
export async function findLeadsByReferences(db: Db, references: readonly string[]): Promise<Array<Lead | undefined>> {
  const refs = references.map((reference) => reference.trim());
  const { rows } = await sql<Lead & { ref_index: number | string }>`
    select l.*, r.ref_index
    from unnest(
      ${refs}::text[],
      ${refs.map((ref) => ref.toLowerCase())}::text[],
      ${refs.map((ref) => (UUID.test(ref) ? ref : null))}::uuid[]
    ) with ordinality as r(ref, lowered, id, ref_index)
    cross join lateral (
      select * from leads
      where r.ref <> '' and (crm_id = r.ref or lower(email) = r.lowered or id = r.id)
      order by crm_id = r.ref desc, updated_at desc
      limit 1
    ) l
  `.execute(db);
  const found: Array<Lead | undefined> = refs.map(() => undefined);
  for (const { ref_index, ...lead } of rows) found[Number(ref_index) - 1] = lead;
  return found;
}

export async function findLeadById(db: Db, id: string): Promise<Lead | undefined> {
  if (!UUID.test(id)) return undefined;
  return db.selectFrom('leads').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * Leads whose name, company, email or CRM id contains the query, most recently handed off first. With
 * `statementTimeoutMs`, PostgreSQL cancels a search that runs longer (PGlite has no timer to honour it).
 */
export async function searchLeads(
  db: Db,
  query: string,
  limit = 20,
  options: { statementTimeoutMs?: number } = {},
): Promise<Lead[]> {
  const ms = options.statementTimeoutMs;
  if (ms === undefined) return leadSearch(db, query, limit);
  return db.transaction().execute(async (trx) => {
    await sql.raw(`set local statement_timeout = ${Math.max(1, Math.round(ms))}`).execute(trx);
    return leadSearch(trx, query, limit);
  });
}

function leadSearch(db: Db, query: string, limit: number): Promise<Lead[]> {
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
 * "The lead's most recent handoff", the one definition feedback, deals, the digest and Home attribute by: the
 * latest `occurred_at`, ties to the one received last. It is the key order of handoffs_lead_recent_idx (which
 * carries campaign_id), so the digest's per-row look-ups are index-only scans.
 */
export const LATEST_HANDOFF_FIRST = sql`occurred_at desc, received_at desc`;

/**
 * The campaign of the most recent of the handoffs `where` selects (they are `h`), as a subquery for a lateral
 * join: `where` names the lead, e.g. sql`h.lead_id = f.lead_id`.
 */
export function latestHandoffCampaign(where: RawBuilder<unknown>): RawBuilder<{ campaign_id: string | null }> {
  return sql`select h.campaign_id from handoffs h where ${where} order by ${LATEST_HANDOFF_FIRST} limit 1`;
}

/** One of the lead's handoffs with its campaign: the one asked for, else its most recent. */
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
    .orderBy(LATEST_HANDOFF_FIRST)
    .limit(1)
    .executeTakeFirst();
  if (!handoff) return undefined;
  const campaign = handoff.campaign_id
    ? await db.selectFrom('campaigns').selectAll().where('id', '=', handoff.campaign_id).executeTakeFirst()
    : undefined;
  return { handoff, campaign };
}

/**
 * The campaign a CRM id names, created as a placeholder when we have not heard of it yet (its campaign event may
 * arrive later), so the handoff or deal keeps its attribution and the campaign event fills in the rest.
 */
export async function ensureCampaign(db: Db, crmId: string, options: { lock?: boolean } = {}): Promise<Campaign> {
  const find = () =>
    db
      .selectFrom('campaigns')
      .selectAll()
      .where('crm_id', '=', crmId)
      // Locked, two events for one campaign take turns instead of both announcing it.
      .$if(options.lock === true, (q) => q.forUpdate())
      .executeTakeFirst();
  // Most events name a campaign already stored: one statement for them.
  const known = await find();
  if (known) return known;
  await db
    .insertInto('campaigns')
    .values({ crm_id: crmId, name: crmId, status: 'planned', placeholder: true })
    .onConflict((oc) => oc.column('crm_id').doNothing())
    .execute();
  const created = await find();
  if (!created) throw new Error(`campaign ${crmId} is missing after its insert`);
  return created;
}

/**
 * Makes handoffs and deals that name the same lead take turns until the transaction ends, even while the lead does
 * not exist yet (a row lock cannot hold a missing row): without it a deal and its lead's first handoff, arriving
 * together, would each miss the other.
 */
export async function lockLeadReference(db: Db, ref: LeadReference) {
  await lockUntilCommit(db, ...leadLockKeys(ref));
}

/** The lock keys of a lead reference (lockUntilCommit): by CRM id, then by email, always in that order. */
export function leadLockKeys(ref: LeadReference): string[] {
  const keys = [ref.crmId && `lead:${ref.crmId}`, ref.email && `lead-email:${ref.email.toLowerCase()}`];
  return keys.filter((key): key is string => Boolean(key));
}

type LeadReference = { crmId?: string | undefined; email?: string | undefined };
