import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../../db/database.js';
import { latestHandoffCampaign } from '../leads/queries.js';

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

/** The shape of `GET /api/digest` (snake_case: a public contract) and the input of the Slack digest. */
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
  /** Cancels the statement after this long (PostgreSQL's statement_timeout; PGlite has no timer to honour it). */
  statementTimeoutMs?: number;
}

/** How many rejection reasons each campaign row lists. */
export const TOP_REASONS = 3;

/** One row of the digest query: a campaign row or (is_total) the totals, before tidying. */
export interface DigestRow extends Omit<DigestFigures, 'revenue'> {
  is_total: boolean;
  campaign_id: string | null;
  campaign_name: string | null;
  revenue: Record<string, number> | null;
  top_reject_reasons: Array<{ reason: string; count: number }> | null;
  sla_breaches: number;
}

/**
 * Runs before the digest's statement, in its transaction. PostgreSQL JIT-compiles a statement whose estimated cost
 * passes jit_above_cost (100k by default). The digest's estimate is mostly one index probe per feedback row of the
 * period, so a busy week lands around that threshold and a month or a year far above it; but probes are what JIT
 * cannot speed up, and compiling took ~110 ms of a ~400 ms weekly digest (bench/digest.ts), 2.7 s of a year's.
 * PGlite has no JIT: the setting is harmless there.
 */
export const DIGEST_SETTINGS = 'set local jit = off';

/**
 * The digest's figures for [from, to), computed in one SQL statement: per campaign with activity in the period,
 * a "No campaign" row when something had none, and totals (a GROUPING SETS row, so they add up the rows exactly).
 * Feedback goes to the campaign of its lead's most recent handoff (`latestHandoffCampaign`);
 * a deal to its own campaign, else to that of its lead's (by id, else by email) most recent handoff.
 */
export async function computeDigest(db: Db, from: Date, to: Date, options: DigestOptions): Promise<Digest> {
  const statement = digestStatement(from, to, options);
  const run = async (trx: Db) => {
    await sql.raw(DIGEST_SETTINGS).execute(trx);
    if (options.statementTimeoutMs !== undefined) {
      await sql
        .raw(`set local statement_timeout = ${Math.max(1, Math.round(options.statementTimeoutMs))}`)
        .execute(trx);
    }
    return statement.execute(trx);
  };
  // SET LOCAL lasts until the transaction ends: our own, or the caller's (the weekly job computes both weeks and
  // queues the post in one; none of that wants JIT either).
  const { rows } = db.isTransaction ? await run(db) : await db.transaction().execute(run);

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

/** The statement computeDigest runs, with its parameters (the digest benchmark replays it in psql). */
export function digestStatement(from: Date, to: Date, options: DigestOptions): RawBuilder<DigestRow> {
  const now = options.now ?? new Date();
  const slaCutoff = new Date(now.getTime() - options.slaHours * 3_600_000);
  return sql<DigestRow>`
    with period_handoffs as (
      select campaign_id, status, reject_reason,
        (status = 'pending' and occurred_at < ${slaCutoff}::timestamptz) as breached
      from handoffs
      where occurred_at >= ${from}::timestamptz and occurred_at < ${to}::timestamptz
    ),
    reason_counts as (
      select campaign_id, reject_reason as reason, count(*)::int as count,
        row_number() over (partition by campaign_id order by count(*) desc, reject_reason) as rank
      from period_handoffs
      where status = 'rejected' and reject_reason is not null
      group by campaign_id, reject_reason
    ),
    period_feedback as (
      select recent.campaign_id, f.rating, f.sales_ready
      from lead_feedback f
      left join lateral (${latestHandoffCampaign(sql`h.lead_id = f.lead_id`)}) recent on true
      where f.created_at >= ${from}::timestamptz and f.created_at < ${to}::timestamptz
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
        count(*)::int as handoffs,
        count(*) filter (where status = 'accepted')::int as accepted,
        count(*) filter (where status = 'rejected')::int as rejected,
        count(*) filter (where status = 'pending')::int as pending,
        count(*) filter (where breached)::int as sla_breaches,
        null::int as feedback_count, null::float8 as rating_sum, null::int as sales_ready,
        null::int as deals_won, null::int as deals_lost,
        null::text as currency, null::numeric as amount,
        null::text as reason, null::int as reason_count, null::bigint as reason_rank
      from period_handoffs
      group by grouping sets ((campaign_id), ())
      union all
      select grouping(campaign_id) = 1, campaign_id, /* handoffs … sla_breaches */ null, null, null, null, null,
        count(*)::int, sum(rating)::float8, count(*) filter (where sales_ready)::int,
        /* deals_won … reason_rank */ null, null, null, null, null, null, null
      from period_feedback
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
