import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import { latestHandoffCampaign } from '../leads/queries.js';

/** Rows shown per list on the Home tab; the view says how many more there are. */
export const HOME_LIST_LIMIT = 10;
export const HOME_PENDING_LIMIT = 15;

export interface PendingHandoffRow {
  id: string;
  lead_name: string;
  lead_company: string | null;
  campaign_name: string | null;
  occurred_at: Date;
  /** Whom it was reassigned to the user from, when it came to them that way (the latest move). */
  reassigned_from?: string | null;
}

/**
 * The user's pending handoffs, oldest first (the ones closest to their SLA), a page of them from `offset`, and
 * how many there are in all: every one is reachable, page by page.
 */
export async function pendingHandoffsOf(
  db: Db,
  userId: string,
  limit = HOME_PENDING_LIMIT,
  offset = 0,
): Promise<{ rows: PendingHandoffRow[]; total: number }> {
  const rows = await db
    .selectFrom('handoffs as h')
    .innerJoin('leads as l', 'l.id', 'h.lead_id')
    .leftJoin('campaigns as c', (join) => join.onRef('c.id', '=', 'h.campaign_id').on('c.placeholder', '=', false))
    .select(['h.id', 'l.name as lead_name', 'l.company as lead_company', 'c.name as campaign_name', 'h.occurred_at'])
    .select(sql<number>`count(*) over ()`.as('total'))
    .select(
      sql<string | null>`(select r.from_slack_user_id from handoff_reassignments r
        where r.handoff_id = h.id and r.to_slack_user_id = ${userId}
        order by r.reassigned_at desc limit 1)`.as('reassigned_from'),
    )
    .where((eb) =>
      eb.or([
        eb('h.owner_slack_user_id', '=', userId),
        // However the CRM named them: a CRM id or an email the identity map knows as this person.
        eb.and([eb('h.owner_slack_user_id', 'is', null), eb.exists(crmUserIs(userId))]),
      ]),
    )
    .where('h.status', '=', 'pending')
    .orderBy('h.occurred_at')
    .orderBy('h.received_at')
    .orderBy('h.id')
    .limit(limit)
    .offset(offset)
    .execute();
  // A page past the end still says how many there are.
  const total = rows[0]?.total ?? (offset > 0 ? (await pendingHandoffsOf(db, userId, 1)).total : 0);
  return { rows: rows.map(({ total: _, ...row }) => row), total: Number(total) };
}

function crmUserIs(userId: string) {
  return sql`(select 1 from crm_users u where u.slack_user_id = ${userId}
    and ((u.crm = h.owner_crm and u.crm_user_id = h.owner_crm_id) or lower(u.email) = lower(h.owner_email)))`;
}

export interface FeedbackRow {
  id: string;
  lead_name: string;
  lead_company: string | null;
  rater_slack_user_id: string;
  rating: number;
  sales_ready: boolean;
  comment: string | null;
  campaign_name: string | null;
  created_at: Date;
}

/** The user's own latest feedback, newest first. */
export async function recentFeedbackBy(db: Db, userId: string, limit = HOME_LIST_LIMIT): Promise<FeedbackRow[]> {
  const result = await sql<FeedbackRow>`
    select f.id, l.name as lead_name, l.company as lead_company, f.rater_slack_user_id, f.rating, f.sales_ready,
      f.comment, null::text as campaign_name, f.created_at
    from lead_feedback f
    join leads l on l.id = f.lead_id
    where f.rater_slack_user_id = ${userId}
    order by f.created_at desc, f.id desc
    limit ${limit}`.execute(db);
  return result.rows;
}

/** The latest feedback on leads whose most recent handoff belongs to one of `userId`'s campaigns. */
export async function latestFeedbackOnCampaignsOf(
  db: Db,
  userId: string,
  limit = HOME_LIST_LIMIT,
): Promise<FeedbackRow[]> {
  const result = await sql<FeedbackRow>`
    select f.id, l.name as lead_name, l.company as lead_company, f.rater_slack_user_id, f.rating, f.sales_ready,
      f.comment, c.name as campaign_name, f.created_at
    from lead_feedback f
    join leads l on l.id = f.lead_id
    join lateral (${latestHandoffCampaign(sql`h.lead_id = f.lead_id`)}) recent on true
    join campaigns c on c.id = recent.campaign_id
    where c.owner_slack_user_id = ${userId}
    order by f.created_at desc, f.id desc
    limit ${limit}`.execute(db);
  return result.rows;
}

export interface CampaignQualityRow {
  /** null: leads handed off without a campaign. */
  campaign_id: string | null;
  campaign_name: string | null;
  handoffs: number;
  accepted: number;
  feedback_count: number;
  /** 1–5, or null without feedback. */
  avg_rating: number | null;
  /** 0–1 shares, or null when there is nothing to divide by. */
  sales_ready_rate: number | null;
  acceptance_rate: number | null;
}

/**
 * Lead quality per campaign since `since` (with `rank: 'quality'`, best average rating first, then sales-ready and
 * acceptance rates; otherwise the most feedback first), computed in SQL with the digest's definitions: handoffs by
 * occurred_at (acceptance rate = accepted / handed off), feedback by submission time and attributed to the
 * campaign of the lead's most recent handoff. With `ownerSlackUserId`, that marketer's campaigns only, including
 * those without activity; otherwise every campaign with activity plus a "no campaign" row.
 */
export async function campaignQuality(
  db: Db,
  since: Date,
  options: { ownerSlackUserId?: string; limit?: number; rank?: 'activity' | 'quality' } = {},
): Promise<{ rows: CampaignQualityRow[]; total: number }> {
  const limit = options.limit ?? HOME_LIST_LIMIT;
  const owner = options.ownerSlackUserId;
  const stats = sql`
    select campaign_id, sum(handed)::int as handoffs, sum(accepted)::int as accepted, sum(rated)::int as feedback_count,
      avg(rating)::float8 as avg_rating, avg(ready)::float8 as sales_ready_rate
    from (
      select h.campaign_id, 1 as handed, (h.status = 'accepted')::int as accepted, 0 as rated,
        null::int as rating, null::int as ready
      from handoffs h where h.occurred_at >= ${since}
      union all
      select recent.campaign_id, 0, 0, 1, f.rating, f.sales_ready::int
      from lead_feedback f
      left join lateral (${latestHandoffCampaign(sql`h.lead_id = f.lead_id`)}) recent on true
      where f.created_at >= ${since}
    ) activity
    group by campaign_id`;
  const columns = sql`c.name as campaign_name, coalesce(s.handoffs, 0) as handoffs,
      coalesce(s.accepted, 0) as accepted, coalesce(s.feedback_count, 0) as feedback_count, s.avg_rating,
      s.sales_ready_rate, s.accepted::float8 / nullif(s.handoffs, 0) as acceptance_rate,
      count(*) over ()::int as total`;
  const query = owner
    ? sql<CampaignQualityRow & { total: number }>`
        with s as (${stats})
        select c.id as campaign_id, ${columns}
        from campaigns c left join s on s.campaign_id = c.id
        where c.owner_slack_user_id = ${owner}
        order by coalesce(s.feedback_count, 0) + coalesce(s.handoffs, 0) desc, c.name
        limit ${limit}`
    : sql<CampaignQualityRow & { total: number }>`
        with s as (${stats})
        select s.campaign_id, ${columns}
        from s left join campaigns c on c.id = s.campaign_id
        order by s.campaign_id is null, ${
          options.rank === 'quality'
            ? sql`s.avg_rating desc nulls last, s.sales_ready_rate desc nulls last, acceptance_rate desc nulls last,`
            : sql``
        } s.feedback_count desc, s.handoffs desc, c.name
        limit ${limit}`;
  const result = await query.execute(db);
  return {
    rows: result.rows.map(({ total: _, ...row }) => row),
    total: Number(result.rows[0]?.total ?? 0),
  };
}

/** The latest weekly digest chart Slack has (its file id, as the outbox recorded the upload), if any. */
export async function latestDigestChart(db: Db): Promise<{ fileId: string; altText: string } | undefined> {
  const row = await db
    .selectFrom('outbox')
    .select(['delivered_ts', sql<string>`payload->>'alt_text'`.as('alt_text')])
    .where('method', '=', 'files.upload')
    .where('status', '=', 'delivered')
    .where(sql<boolean>`payload->>'filename' like 'tandem-weekly-%'`)
    .orderBy('delivered_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.delivered_ts ? { fileId: row.delivered_ts, altText: row.alt_text ?? 'Weekly chart' } : undefined;
}
