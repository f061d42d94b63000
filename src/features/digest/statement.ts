import { type RawBuilder, sql } from 'kysely';
import { latestHandoffCampaign } from '../leads/queries.js';
import type { DigestOptions, DigestRow } from './queries.js';

/** How many rejection reasons each campaign row lists. */
export const TOP_REASONS = 3;

const DAY_MS = 24 * 3_600_000;

/**
 * Where the handoff and feedback figures of [from, to) come from: whole UTC days from the daily rollups (kept by
 * triggers, migration 2026_11_29_004) and the partial days at either end from the facts. `facts` reads only the
 * facts: the definition the rollups must reproduce, kept for the tests and the benchmark to compare against.
 */
export type DigestSource = 'rollups' | 'facts';

export interface DigestSplit {
  /** Fact ranges [start, end): the partial days (or the whole period, when it holds no whole day). */
  facts: Array<[Date, Date]>;
  /** Whole UTC days [first, end) read from the rollups, as YYYY-MM-DD; equal when none. */
  days: [string, string];
}

export function splitPeriod(from: Date, to: Date, source: DigestSource): DigestSplit {
  const firstDay = Math.ceil(from.getTime() / DAY_MS) * DAY_MS;
  const endDay = Math.floor(to.getTime() / DAY_MS) * DAY_MS;
  if (source === 'facts' || firstDay >= endDay) {
    const day = from.toISOString().slice(0, 10);
    return { facts: [[from, to]], days: [day, day] };
  }
  return {
    facts: [
      [from, new Date(firstDay)],
      [new Date(endDay), to],
    ],
    days: [new Date(firstDay).toISOString().slice(0, 10), new Date(endDay).toISOString().slice(0, 10)],
  };
}

function inFacts(column: RawBuilder<unknown>, split: DigestSplit): RawBuilder<unknown> {
  return sql.join(
    split.facts.map(([start, end]) => sql`(${column} >= ${start}::timestamptz and ${column} < ${end}::timestamptz)`),
    sql` or `,
  );
}

/**
 * The digest's figures for [from, to) in one statement: per campaign with activity in the period, a "No campaign"
 * row when something had none, and totals (a GROUPING SETS row, so they add up the rows exactly).
 * Feedback goes to the campaign of its lead's most recent handoff (`latestHandoffCampaign`);
 * a deal to its own campaign, else to that of its lead's (by id, else by email) most recent handoff.
 */
export function digestStatement(
  from: Date,
  to: Date,
  options: DigestOptions,
  source: DigestSource = 'rollups',
): RawBuilder<DigestRow> {
  const now = options.now ?? new Date();
  const slaCutoff = new Date(now.getTime() - options.slaHours * 3_600_000);
  const split = splitPeriod(from, to, source);
  const [firstDay, endDay] = split.days;
  return sql<DigestRow>`
    with handoff_counts as (
      select campaign_id, status, reject_reason, count(*)::int as n
      from handoffs
      where ${inFacts(sql`occurred_at`, split)}
      group by campaign_id, status, reject_reason
      union all
      select campaign_id, status, reject_reason, handoffs
      from digest_handoff_days
      where day >= ${firstDay}::date and day < ${endDay}::date and handoffs <> 0
    ),
    reason_counts as (
      select campaign_id, reject_reason as reason, sum(n)::int as count,
        row_number() over (partition by campaign_id order by sum(n) desc, reject_reason) as rank
      from handoff_counts
      where status = 'rejected' and reject_reason is not null
      group by campaign_id, reject_reason
    ),
    feedback_counts as (
      select recent.campaign_id, count(*)::int as n, sum(f.rating)::bigint as rating_sum,
        count(*) filter (where f.sales_ready)::int as ready
      from lead_feedback f
      left join lateral (${latestHandoffCampaign(sql`h.lead_id = f.lead_id`)}) recent on true
      where ${inFacts(sql`f.created_at`, split)}
      group by recent.campaign_id
      union all
      select campaign_id, feedback_count, rating_sum, sales_ready
      from digest_feedback_days
      where day >= ${firstDay}::date and day < ${endDay}::date and feedback_count <> 0
    ),
    period_deals as (
      select coalesce(d.campaign_id, recent.campaign_id) as campaign_id, d.stage, d.amount, d.currency
      from deals d
      left join lateral (${latestHandoffCampaign(sql`
        d.campaign_id is null
          and h.lead_id in (
            select d.lead_id where d.lead_id is not null
            union all
            select l.id from leads l where d.lead_id is null and lower(l.email) = lower(d.lead_email)
          )`)}) recent on true
      where d.closed_at >= ${from}::timestamptz and d.closed_at < ${to}::timestamptz
    ),
    -- Every figure as rows keyed by (is_total, campaign_id), each source filling its own columns (the others null,
    -- by position), then merged by one GROUP BY. Grouping puts the null campaign ("No campaign", and the totals) in
    -- one group; joining the sources instead needs "campaign_id is not distinct from", which cannot be hashed, so
    -- every row was compared with every other (16M comparisons in a week with 2k campaigns active: most of the
    -- digest's time). The grouping set () gives the totals row even over an empty period.
    figures as (
      select grouping(campaign_id) = 1 as is_total, campaign_id,
        coalesce(sum(n), 0)::int as handoffs,
        coalesce(sum(n) filter (where status = 'accepted'), 0)::int as accepted,
        coalesce(sum(n) filter (where status = 'rejected'), 0)::int as rejected,
        coalesce(sum(n) filter (where status = 'pending'), 0)::int as pending,
        null::int as sla_breaches,
        null::int as feedback_count, null::float8 as rating_sum, null::int as sales_ready,
        null::int as deals_won, null::int as deals_lost,
        null::text as currency, null::numeric as amount,
        null::text as reason, null::int as reason_count, null::bigint as reason_rank
      from handoff_counts
      group by grouping sets ((campaign_id), ())
      union all
      -- Past the SLA depends on the clock, so it is counted from the facts (handoffs_pending_idx), totals only.
      select true, null, /* handoffs … pending */ null, null, null, null,
        (select count(*)::int from handoffs
         where status = 'pending' and occurred_at < ${slaCutoff}::timestamptz
           and occurred_at >= ${from}::timestamptz and occurred_at < ${to}::timestamptz),
        /* feedback_count … reason_rank */ null, null, null, null, null, null, null, null, null, null
      union all
      select grouping(campaign_id) = 1, campaign_id, /* handoffs … sla_breaches */ null, null, null, null, null,
        coalesce(sum(n), 0)::int, sum(rating_sum)::float8, coalesce(sum(ready), 0)::int,
        /* deals_won … reason_rank */ null, null, null, null, null, null, null
      from feedback_counts
      group by grouping sets ((campaign_id), ())
      union all
      select grouping(campaign_id) = 1, campaign_id,
        /* handoffs … sales_ready */ null, null, null, null, null, null, null, null,
        count(*) filter (where stage = 'won')::int, count(*) filter (where stage = 'lost')::int,
        /* currency … reason_rank */ null, null, null, null, null
      from period_deals
      group by grouping sets ((campaign_id), ())
      union all
      select grouping(campaign_id) = 1, campaign_id,
        /* handoffs … deals_lost */ null, null, null, null, null, null, null, null, null, null,
        currency, sum(amount), /* reason … reason_rank */ null, null, null
      from period_deals
      where stage = 'won'
      group by grouping sets ((campaign_id, currency), (currency))
      union all
      select false, campaign_id,
        /* handoffs … amount */ null, null, null, null, null, null, null, null, null, null, null, null,
        reason, count, rank
      from reason_counts
      where rank <= ${TOP_REASONS}
    ),
    -- Each source gave at most one row per key (revenue and reasons one per currency or reason): max() picks it.
    merged as (
      select is_total, campaign_id,
        max(handoffs) as handoffs, max(accepted) as accepted, max(rejected) as rejected, max(pending) as pending,
        max(sla_breaches) as sla_breaches,
        max(feedback_count) as feedback_count, max(rating_sum) as rating_sum, max(sales_ready) as sales_ready,
        max(deals_won) as deals_won, max(deals_lost) as deals_lost,
        json_object_agg(currency, amount::float8 order by currency) filter (where currency is not null) as revenue,
        json_agg(json_build_object('reason', reason, 'count', reason_count) order by reason_rank)
          filter (where reason is not null) as top_reject_reasons
      from figures
      group by is_total, campaign_id
    )
    select m.is_total, c.crm_id as campaign_id, c.name as campaign_name,
      coalesce(m.handoffs, 0) as handoffs,
      coalesce(m.accepted, 0) as accepted,
      coalesce(m.rejected, 0) as rejected,
      coalesce(m.pending, 0) as pending,
      m.accepted::float8 / nullif(m.handoffs, 0) as acceptance_rate,
      coalesce(m.feedback_count, 0) as feedback_count,
      m.rating_sum / nullif(m.feedback_count, 0) as avg_rating,
      m.sales_ready::float8 / nullif(m.feedback_count, 0) as sales_ready_rate,
      coalesce(m.deals_won, 0) as deals_won,
      coalesce(m.deals_lost, 0) as deals_lost,
      m.revenue,
      m.top_reject_reasons,
      coalesce(m.sla_breaches, 0) as sla_breaches
    from merged m
    left join campaigns c on not m.is_total and c.id = m.campaign_id
    order by m.is_total, (m.campaign_id is null), coalesce(m.handoffs, 0) desc, c.name, c.crm_id
  `;
}
