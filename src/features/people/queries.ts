import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import type { CrmUser, Handoff } from '../../db/schema.js';

/** A CRM's user as the CRM names them: the key of the identity map. */
export interface CrmUserKey {
  crm: string;
  id: string;
}

export async function findCrmUser(db: Db, key: CrmUserKey): Promise<CrmUser | undefined> {
  return db
    .selectFrom('crm_users')
    .selectAll()
    .where('crm', '=', key.crm)
    .where('crm_user_id', '=', key.id)
    .executeTakeFirst();
}

/**
 * Remembers what a lookup found (or that it found nobody). An admin's mapping is never overwritten by a lookup:
 * it exists precisely because the lookup could not find them.
 */
export async function saveLookup(
  db: Db,
  row: CrmUserKey & { email: string | null; name: string | null; slackUserId: string | null },
): Promise<void> {
  const values = { email: row.email, name: row.name, slack_user_id: row.slackUserId, resolved_by: 'lookup' as const };
  await db
    .insertInto('crm_users')
    .values({ crm: row.crm, crm_user_id: row.id, ...values })
    .onConflict((oc) =>
      oc
        .columns(['crm', 'crm_user_id'])
        .doUpdateSet({ ...values, resolved_at: sql`now()` })
        .where('crm_users.resolved_by', '=', 'lookup'),
    )
    .execute();
}

/**
 * Maps every CRM user whose id or email is `key` to `slackUserId`, as set by an admin. An email no CRM has named
 * yet is remembered for the native webhooks (crm 'tandem'), so later handoffs to it arrive mapped.
 */
export async function mapCrmUsers(trx: Db, key: string, slackUserId: string): Promise<CrmUser[]> {
  const mapped = await trx
    .updateTable('crm_users')
    .set({ slack_user_id: slackUserId, resolved_by: 'admin', resolved_at: sql`now()` })
    .where((eb) => eb.or([eb('crm_user_id', '=', key), eb(sql`lower(email)`, '=', key.toLowerCase())]))
    .returningAll()
    .execute();
  if (mapped.length > 0 || !key.includes('@')) return mapped;
  const email = key.toLowerCase();
  return trx
    .insertInto('crm_users')
    .values({ crm: 'tandem', crm_user_id: email, email, slack_user_id: slackUserId, resolved_by: 'admin' })
    .returningAll()
    .execute();
}

/** Pending handoffs owned by any of these CRM users (by reference, or by email for older rows), locked. */
export async function lockPendingHandoffsOf(trx: Db, users: CrmUser[]): Promise<Handoff[]> {
  if (users.length === 0) return [];
  const emails = users.flatMap((u) => (u.email ? [u.email.toLowerCase()] : []));
  return trx
    .selectFrom('handoffs')
    .selectAll()
    .where('status', '=', 'pending')
    .where((eb) =>
      eb.or([
        ...users.map((u) => eb.and([eb('owner_crm', '=', u.crm), eb('owner_crm_id', '=', u.crm_user_id)])),
        ...(emails.length > 0 ? [eb(sql`lower(owner_email)`, 'in', emails)] : []),
      ]),
    )
    .forUpdate()
    .execute();
}

export interface UnmappedOwner {
  crm: string;
  crm_user_id: string;
  email: string | null;
  name: string | null;
  pending: number;
}

/** CRM users with no Slack person, those with the most pending handoffs first. */
export async function unmappedOwners(db: Db, limit = 50): Promise<UnmappedOwner[]> {
  const result = await sql<UnmappedOwner>`
    select u.crm, u.crm_user_id, u.email, u.name,
      (select count(*) from handoffs h
        where h.status = 'pending' and h.owner_slack_user_id is null
          and ((h.owner_crm = u.crm and h.owner_crm_id = u.crm_user_id)
            or (u.email is not null and lower(h.owner_email) = lower(u.email))))::int as pending
    from crm_users u
    where u.slack_user_id is null
    order by pending desc, u.crm, u.crm_user_id
    limit ${limit}`.execute(db);
  return result.rows;
}
