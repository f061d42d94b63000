/**
 * The digest as it was before its rewrite (commit 338dfab), frozen here so that bench/digest.ts can time it beside
 * the current one on the same data: its statement joined the per-source figures on `campaign_id is not distinct
 * from`, which PostgreSQL cannot hash. Run it on the schema before migration 006 for a faithful "before".
 * Not application code: nothing in src/ may import it.
 */
import { sql } from 'kysely';
import type { Db } from '../src/db/database.js';
import {
  type Digest,
  type DigestFigures,
  type DigestOptions,
  type DigestRow,
  TOP_REASONS,
} from '../src/features/digest/queries.js';

/** The pre-fix statement, as computeDigest sent it (no transaction, no settings). */
export function digestStatementBefore(from: Date, to: Date, options: DigestOptions) {
  const now = options.now ?? new Date();
  const slaCutoff = new Date(now.getTime() - options.slaHours * 3_600_000);
  return sql<DigestRow>`
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
  `;
}

/** The pre-fix computeDigest: the statement above and the same tidying of its rows. */
export async function computeDigestBefore(db: Db, from: Date, to: Date, options: DigestOptions): Promise<Digest> {
  const { rows } = await digestStatementBefore(from, to, options).execute(db);
  const totalRow = rows.find((row) => row.is_total);
  if (!totalRow) throw new Error('digest query returned no totals row');
  const figures = (row: DigestRow): DigestFigures => ({
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
  });
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
