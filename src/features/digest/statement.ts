import { type RawBuilder, sql } from 'kysely';
import { latestHandoffCampaign } from '../leads/queries.js';
import type { DigestOptions, DigestRow } from './queries.js';

/** How many rejection reasons each campaign row lists. */
export const TOP_REASONS = 3;

const DAY_MS = 24 * 3_600_000;

/**
 * Where the figures of [from, to) come from: whole UTC months, weeks (Monday to Monday) and days from the rollups
 * at those grains (kept by triggers, migration 2026_11_29_004), the largest that fit, and the partial days at either
 * end from the facts. A year reads about 12 monthly rows per campaign and a few weeks and days at each end. `facts`
 * reads only the facts: the definition the rollups must reproduce, kept for the tests and the benchmark.
 */
export type DigestSource = 'rollups' | 'facts';

type Range<T> = [T, T];
export type Grain = 'day' | 'week' | 'month';

export interface DigestSplit {
  /** Fact ranges [start, end): the partial days (or the whole period, when it holds no whole day). */
  facts: Array<Range<Date>>;
  /** Rollup rows [start, end) at a grain, as YYYY-MM-DD of the periods' first days. */
  rollups: Array<{ grain: Grain; start: string; end: string }>;
}

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
/** The Monday on or before a UTC midnight (1970-01-01 was a Thursday). */
const mondayOnOrBefore = (ms: number) => ms - ((Math.floor(ms / DAY_MS) + 3) % 7) * DAY_MS;
const monthStart = (ms: number, add = 0) => {
  const at = new Date(ms);
  return Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + add, 1);
};

export function splitPeriod(from: Date, to: Date, source: DigestSource): DigestSplit {
  const firstDay = Math.ceil(from.getTime() / DAY_MS) * DAY_MS;
  const endDay = Math.floor(to.getTime() / DAY_MS) * DAY_MS;
  if (source === 'facts' || firstDay >= endDay) return { facts: [[from, to]], rollups: [] };
  const rollups: DigestSplit['rollups'] = [];
  const add = (grain: Grain, start: number, end: number) => {
    if (start < end) rollups.push({ grain, start: isoDay(start), end: isoDay(end) });
  };
  const weeksAndDays = (start: number, end: number) => {
    const firstWeek = mondayOnOrBefore(start + 6 * DAY_MS);
    const endWeek = mondayOnOrBefore(end);
    if (firstWeek >= endWeek) return add('day', start, end);
    add('day', start, firstWeek);
    add('week', firstWeek, endWeek);
    add('day', endWeek, end);
  };
  const firstMonth = monthStart(firstDay) === firstDay ? firstDay : monthStart(firstDay, 1);
  const endMonth = monthStart(endDay);
  if (firstMonth < endMonth) {
    weeksAndDays(firstDay, firstMonth);
    add('month', firstMonth, endMonth);
    weeksAndDays(endMonth, endDay);
  } else {
    weeksAndDays(firstDay, endDay);
  }
  return {
    facts: [
      [from, new Date(firstDay)],
      [new Date(endDay), to],
    ],
    rollups,
  };
}

function inFacts(column: RawBuilder<unknown>, split: DigestSplit): RawBuilder<unknown> {
  return sql.join(
    split.facts.map(([start, end]) => sql`(${column} >= ${start}::timestamptz and ${column} < ${end}::timestamptz)`),
    sql` or `,
  );
}

/** The rollup rows (`r`) of the split's whole months, weeks and days. */
function inRollups(split: DigestSplit): RawBuilder<unknown> {
  if (split.rollups.length === 0) return sql`false`;
  const ranges = split.rollups.map(
    ({ grain, start, end }) => sql`(r.grain = ${grain} and r.day >= ${start}::date and r.day < ${end}::date)`,
  );
  return sql`(${sql.join(ranges, sql` or `)})`;
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
  return sql<DigestRow>`
    with handoff_counts as (
      select campaign_id, status, reject_reason, count(*)::int as n
      from handoffs
      where ${inFacts(sql`occurred_at`, split)}
      group by campaign_id, status, reject_reason
      union all
      select r.campaign_id, r.status, r.reject_reason, r.handoffs
      from digest_handoff_days r
      where ${inRollups(split)} and r.handoffs <> 0
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
      select r.campaign_id, r.feedback_count, r.rating_sum, r.sales_ready
      from digest_feedback_days r
      where ${inRollups(split)} and r.feedback_count <> 0
    ),
    -- A deal counts for its own campaign, else that of its lead's (by id, else by email) most recent handoff. Deals
    -- with a campaign or a lead id are rolled up like handoffs (rollups and facts at the edges); those named by email
    -- alone are attributed from the facts over the whole period.
    deal_counts as (
      select coalesce(d.campaign_id, recent.campaign_id) as campaign_id, d.stage, d.currency, count(*)::int as n,
        sum(d.amount) as amount
      from deals d
      left join lateral (${latestHandoffCampaign(sql`h.lead_id = d.lead_id`)}) recent on d.campaign_id is null
      where (d.campaign_id is not null or d.lead_id is not null) and (${inFacts(sql`d.closed_at`, split)})
      group by 1, d.stage, d.currency
      union all
      select r.campaign_id, r.stage, r.currency, r.deals, r.amount
      from digest_deal_days r
      where ${inRollups(split)} and r.deals <> 0
      union all
      select recent.campaign_id, d.stage, d.currency, count(*)::int, sum(d.amount)
      from deals d
      left join lateral (${latestHandoffCampaign(sql`
        h.lead_id in (select l.id from leads l where lower(l.email) = lower(d.lead_email))`)}) recent on true
      where d.campaign_id is null and d.lead_id is null
        and d.closed_at >= ${from}::timestamptz and d.closed_at < ${to}::timestamptz
      group by recent.campaign_id, d.stage, d.currency
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
        coalesce(sum(n) filter (where stage = 'won'), 0)::int, coalesce(sum(n) filter (where stage = 'lost'), 0)::int,
        /* currency … reason_rank */ null, null, null, null, null
      from deal_counts
      group by grouping sets ((campaign_id), ())
      union all
      select grouping(campaign_id) = 1, campaign_id,
        /* handoffs … deals_lost */ null, null, null, null, null, null, null, null, null, null,
        currency, sum(amount), /* reason … reason_rank */ null, null, null
      from deal_counts
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
