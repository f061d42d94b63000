import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import { type DigestSource, digestStatement } from './statement.js';

export { digestStatement, TOP_REASONS } from './statement.js';

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
  /** Rollups for whole days (the default), or the facts alone: the reference the tests and the bench compare to. */
  source?: DigestSource;
}

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
 * The digest's figures for [from, to), computed in one SQL statement (`digestStatement`, which defines them): per
 * campaign with activity in the period, a "No campaign" row when something had none, and totals. Whole days come
 * from the daily rollups, so any range up to a year reads about as much as a week.
 */
export async function computeDigest(db: Db, from: Date, to: Date, options: DigestOptions): Promise<Digest> {
  const statement = digestStatement(from, to, options, options.source);
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
