import { sql } from 'kysely';
import type { Db } from '../../db/database.js';

/** The figures every digest row carries; `totals` has exactly these. */
export interface DigestFigures {
  handoffs: number;
  accepted: number;
  rejected: number;
  pending: number;
  /** accepted / handoffs (the MQL→SQL rate); null without handoffs. */
  acceptance_rate: number | null;
  feedback_count: number;
  avg_rating: number | null;
  sales_ready_rate: number | null;
  deals_won: number;
  deals_lost: number;
  /** Won amounts per currency code. */
  revenue: Record<string, number>;
}

export interface DigestCampaign extends DigestFigures {
  /** The campaign's CRM id; null for the "No campaign" row. */
  campaign_id: string | null;
  campaign_name: string | null;
  top_reject_reasons: Array<{ reason: string; count: number }>;
}

/** The shape of `GET /api/digest` (snake_case, as the issue specifies) and the input of the Slack digest. */
export interface Digest {
  from: string;
  to: string;
  campaigns: DigestCampaign[];
  totals: DigestFigures;
  sla_breaches: number;
}

export interface DigestOptions {
  /** A handoff still pending this long after it occurred is past its SLA. */
  slaHours: number;
  /** The clock the SLA is measured against (tests pin it). */
  now?: Date;
}

/** How many rejection reasons each campaign row lists. */
export const TOP_REASONS = 3;

/** One row of the digest query: a campaign row or (is_total) the totals, before tidying. */
interface DigestRow extends Omit<DigestFigures, 'revenue'> {
  is_total: boolean;
  campaign_id: string | null;
  campaign_name: string | null;
  revenue: Record<string, number> | null;
  top_reject_reasons: Array<{ reason: string; count: number }> | null;
  sla_breaches: number;
}

/**
 * The digest's figures for [from, to), computed in one SQL statement: per campaign with activity in the period,
 * a "No campaign" row when something had none, and totals (a GROUPING SETS row, so they add up the rows exactly).
 * Feedback goes to the campaign of its lead's most recent handoff (latest occurred_at, then latest received_at);
 * a deal to its own campaign, else to that of its lead's (by id, else by email) most recent handoff.
 */
export async function computeDigest(db: Db, from: Date, to: Date, options: DigestOptions): Promise<Digest> {
  const now = options.now ?? new Date();
  const slaCutoff = new Date(now.getTime() - options.slaHours * 3_600_000);
  const { rows } = await sql<DigestRow>`
    with period_handoffs as (
      select campaign_id, status, reject_reason,
        (status = 'pending' and occurred_at < ${slaCutoff}::timestamptz) as breached
      from handoffs
      where occurred_at >= ${from}::timestamptz and occurred_at < ${to}::timestamptz
    ),
    handoff_figures as (
      select grouping(campaign_id) = 1 as is_total, campaign_id,
        count(*)::int as handoffs,
        count(*) filter (where status = 'accepted')::int as accepted,
        count(*) filter (where status = 'rejected')::int as rejected,
        count(*) filter (where status = 'pending')::int as pending,
        count(*) filter (where breached)::int as sla_breaches
      from period_handoffs
      group by grouping sets ((campaign_id), ())
    ),
    reason_counts as (
      select campaign_id, reject_reason as reason, count(*)::int as count,
        row_number() over (partition by campaign_id order by count(*) desc, reject_reason) as rank
      from period_handoffs
      where status = 'rejected' and reject_reason is not null
      group by campaign_id, reject_reason
    ),
    top_reasons as (
      select campaign_id, json_agg(json_build_object('reason', reason, 'count', count) order by rank) as reasons
      from reason_counts
      where rank <= ${TOP_REASONS}
      group by campaign_id
    ),
    period_feedback as (
      select recent.campaign_id, f.rating, f.sales_ready
      from lead_feedback f
      left join lateral (
        select h.campaign_id from handoffs h
        where h.lead_id = f.lead_id
        order by h.occurred_at desc, h.received_at desc
        limit 1
      ) recent on true
      where f.created_at >= ${from}::timestamptz and f.created_at < ${to}::timestamptz
    ),
    feedback_figures as (
      select grouping(campaign_id) = 1 as is_total, campaign_id,
        count(*)::int as feedback_count,
        sum(rating)::float8 as rating_sum,
        count(*) filter (where sales_ready)::int as sales_ready
      from period_feedback
      group by grouping sets ((campaign_id), ())
    ),
    period_deals as (
      select coalesce(d.campaign_id, recent.campaign_id) as campaign_id, d.stage, d.amount, d.currency
      from deals d
      left join lateral (
        select h.campaign_id from handoffs h
        where d.campaign_id is null
          and h.lead_id in (
            select d.lead_id where d.lead_id is not null
            union all
            select l.id from leads l where d.lead_id is null and lower(l.email) = lower(d.lead_email)
          )
        order by h.occurred_at desc, h.received_at desc
        limit 1
      ) recent on true
      where d.closed_at >= ${from}::timestamptz and d.closed_at < ${to}::timestamptz
    ),
    deal_figures as (
      select grouping(campaign_id) = 1 as is_total, campaign_id,
        count(*) filter (where stage = 'won')::int as deals_won,
        count(*) filter (where stage = 'lost')::int as deals_lost
      from period_deals
      group by grouping sets ((campaign_id), ())
    ),
    revenue_by_currency as (
      select grouping(campaign_id) = 1 as is_total, campaign_id, currency, sum(amount) as amount
      from period_deals
      where stage = 'won'
      group by grouping sets ((campaign_id, currency), (currency))
    ),
    revenue as (
      select is_total, campaign_id, json_object_agg(currency, amount::float8 order by currency) as revenue
      from revenue_by_currency
      group by is_total, campaign_id
    ),
    keys as (
      select is_total, campaign_id from handoff_figures
      union select is_total, campaign_id from feedback_figures
      union select is_total, campaign_id from deal_figures
      union select true, null::uuid
    )
    select k.is_total, c.crm_id as campaign_id, c.name as campaign_name,
      coalesce(hf.handoffs, 0) as handoffs,
      coalesce(hf.accepted, 0) as accepted,
      coalesce(hf.rejected, 0) as rejected,
      coalesce(hf.pending, 0) as pending,
      hf.accepted::float8 / nullif(hf.handoffs, 0) as acceptance_rate,
      coalesce(ff.feedback_count, 0) as feedback_count,
      ff.rating_sum / nullif(ff.feedback_count, 0) as avg_rating,
      ff.sales_ready::float8 / nullif(ff.feedback_count, 0) as sales_ready_rate,
      coalesce(df.deals_won, 0) as deals_won,
      coalesce(df.deals_lost, 0) as deals_lost,
      r.revenue,
      tr.reasons as top_reject_reasons,
      coalesce(hf.sla_breaches, 0) as sla_breaches
    from keys k
    left join campaigns c on not k.is_total and c.id = k.campaign_id
    left join handoff_figures hf on hf.is_total = k.is_total and hf.campaign_id is not distinct from k.campaign_id
    left join feedback_figures ff on ff.is_total = k.is_total and ff.campaign_id is not distinct from k.campaign_id
    left join deal_figures df on df.is_total = k.is_total and df.campaign_id is not distinct from k.campaign_id
    left join revenue r on r.is_total = k.is_total and r.campaign_id is not distinct from k.campaign_id
    left join top_reasons tr on not k.is_total and tr.campaign_id is not distinct from k.campaign_id
    order by k.is_total, (k.campaign_id is null), coalesce(hf.handoffs, 0) desc, c.name, c.crm_id
  `.execute(db);

  const totalRow = rows.find((row) => row.is_total);
  if (!totalRow) throw new Error('digest query returned no totals row');
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    campaigns: rows
      .filter((row) => !row.is_total)
      .map((row) => ({
        campaign_id: row.campaign_id,
        campaign_name: row.campaign_name,
        ...figures(row),
        top_reject_reasons: row.top_reject_reasons ?? [],
      })),
    totals: figures(totalRow),
    sla_breaches: totalRow.sla_breaches,
  };
}

/** The shared figures of a row, in the order the API documents them. */
function figures(row: DigestRow): DigestFigures {
  return {
    handoffs: row.handoffs,
    accepted: row.accepted,
    rejected: row.rejected,
    pending: row.pending,
    acceptance_rate: row.acceptance_rate,
    feedback_count: row.feedback_count,
    avg_rating: row.avg_rating,
    sales_ready_rate: row.sales_ready_rate,
    deals_won: row.deals_won,
    deals_lost: row.deals_lost,
    revenue: row.revenue ?? {},
  };
}
