import { sql } from 'kysely';
import type { Db } from '../../db/database.js';

/** The default route's key in `routes`: campaigns have their CRM id there. */
export const DEFAULT_ROUTE = '';

export interface PoolMember {
  pool: string;
  slack_user_id: string;
  last_assigned_at: Date | null;
}

/** Adds people to a pool (creating it); returns those who were not in it yet. */
export async function addPoolMembers(db: Db, pool: string, userIds: string[]): Promise<string[]> {
  return db.transaction().execute(async (trx) => {
    await trx
      .insertInto('pools')
      .values({ name: pool })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    const added = await trx
      .insertInto('pool_members')
      .values(userIds.map((slack_user_id) => ({ pool, slack_user_id })))
      .onConflict((oc) => oc.columns(['pool', 'slack_user_id']).doNothing())
      .returning('slack_user_id')
      .execute();
    return added.map((r) => r.slack_user_id);
  });
}

/** Removes people from a pool (an emptied pool goes too); returns those who were in it. */
export async function removePoolMembers(db: Db, pool: string, userIds: string[]): Promise<string[]> {
  return db.transaction().execute(async (trx) => {
    const removed = await trx
      .deleteFrom('pool_members')
      .where('pool', '=', pool)
      .where('slack_user_id', 'in', userIds)
      .returning('slack_user_id')
      .execute();
    await trx
      .deleteFrom('pools')
      .where('name', '=', pool)
      .where(({ not, exists, selectFrom }) =>
        not(exists(selectFrom('pool_members').select('pool').where('pool', '=', pool))),
      )
      .execute();
    return removed.map((r) => r.slack_user_id);
  });
}

/** Every pool's members in round-robin order: least recently assigned first, then the longest in the pool. */
export async function poolMembers(db: Db, pools?: string[]): Promise<PoolMember[]> {
  if (pools && pools.length === 0) return [];
  let query = db
    .selectFrom('pool_members')
    .select(['pool', 'slack_user_id', 'last_assigned_at'])
    .orderBy('pool')
    .orderBy(sql`last_assigned_at asc nulls first`)
    .orderBy('added_at')
    .orderBy('slack_user_id');
  if (pools) query = query.where('pool', 'in', pools);
  return query.execute();
}

export async function anyPool(db: Db): Promise<boolean> {
  return (await db.selectFrom('pools').select('name').limit(1).executeTakeFirst()) !== undefined;
}

/** Marks someone away until a day (inclusive) or until they are back. */
export async function setAway(db: Db, userId: string, untilDay: string | null, setBy: string): Promise<void> {
  await db
    .insertInto('away')
    .values({ slack_user_id: userId, until_day: untilDay, set_by: setBy })
    .onConflict((oc) =>
      oc.column('slack_user_id').doUpdateSet({ until_day: untilDay, set_by: setBy, set_at: sql`now()` }),
    )
    .execute();
}

/** Back: true when they had said they were away. */
export async function clearAway(db: Db, userId: string): Promise<boolean> {
  const gone = await db.deleteFrom('away').where('slack_user_id', '=', userId).returning('slack_user_id').execute();
  return gone.length > 0;
}

/** Who among `userIds` said they are away on `today` (YYYY-MM-DD in the team's zone), with until when. */
export async function awayOn(db: Db, userIds: string[], today: string): Promise<Map<string, string | null>> {
  if (userIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('away')
    .select(['slack_user_id', 'until_day'])
    .where('slack_user_id', 'in', userIds)
    .where((eb) => eb.or([eb('until_day', 'is', null), eb('until_day', '>=', today)]))
    .execute();
  return new Map(rows.map((r) => [r.slack_user_id, r.until_day]));
}

export async function setRoute(db: Db, campaignCrmId: string, channel: string, setBy: string): Promise<void> {
  await db
    .insertInto('routes')
    .values({ campaign_crm_id: campaignCrmId, channel, set_by: setBy })
    .onConflict((oc) => oc.column('campaign_crm_id').doUpdateSet({ channel, set_by: setBy, set_at: sql`now()` }))
    .execute();
}

export async function listRoutes(db: Db) {
  return db.selectFrom('routes').select(['campaign_crm_id', 'channel']).orderBy('campaign_crm_id').execute();
}

/** The channel a handoff's card goes to by route, as an expression: its campaign's route, else the default route. */
export function routedChannel(campaignCrmId: string | undefined) {
  return sql<string | null>`(select r.channel from routes r
    where r.campaign_crm_id in (${campaignCrmId ?? DEFAULT_ROUTE}, ${DEFAULT_ROUTE})
    order by r.campaign_crm_id = ${DEFAULT_ROUTE} limit 1)`;
}
