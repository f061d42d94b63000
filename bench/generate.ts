/**
 * The digest benchmark's data set: a year of a busy Tandem, generated in SQL (generate_series) so that it builds in
 * the database itself, the same way on PostgreSQL and PGlite.
 *
 * Deterministic and seeded: every "random" choice is `hashint8extended(row number, seed and stream)`, a hash
 * PostgreSQL keeps stable across versions and platforms (hash partitioning depends on it), and every id is the md5
 * of the seed, the table and the row number. The same seed and size give the same rows, ids included.
 *
 * Shaped like production, since that decides which plans and indexes are realistic:
 * - time: the 365 days up to DATA_END, uniformly, so one week holds about 1/52 of each table;
 * - campaigns: each runs about ACTIVE_WEEKS, one starting every few hours, so a week sees a few hundred of them,
 *   not all 2k; a handoff goes to a campaign running at its time (5% have none). The 'always-on' shape instead
 *   runs every campaign all year and spreads handoffs evenly over them (the worst case for per-campaign work, and
 *   the shape of this generator's first version);
 * - leads: every lead was handed off at least once (the app creates leads only from handoffs), some again later;
 * - handoffs: decided within two days (accepted 62%, rejected 35% with a skewed spread of reasons), except 3% left
 *   pending (the SLA breaches) and half of the last three days' (not yet looked at);
 * - feedback: each row judges a handoff (handoff_id set, as the app does), from the handoff's owner, within two
 *   weeks after it, its rating and sales-readiness following the decision;
 * - deals: each closes an accepted handoff's lead within 90 days. As the deal webhook stores them, 85% carry their
 *   lead and campaign; 10% their lead but no campaign and 3% only an email of a known lead (the digest then
 *   attributes them through the lead's most recent handoff); 2% an unknown email (no campaign).
 */
import { sql } from 'kysely';
import type { Db } from '../src/db/database.js';

/** Bump whenever the rows this file makes change: it is part of the name of a reusable bench database. */
export const GENERATOR_VERSION = 2;

/** How handoffs spread over campaigns: see the file's comment. */
export type CampaignShape = 'waves' | 'always-on';

export interface GenerateOptions {
  seed?: number;
  campaignShape?: CampaignShape;
}

export interface BenchSize {
  campaigns: number;
  leads: number;
  handoffs: number;
  feedback: number;
  deals: number;
}

/** The benchmark's size: a year of 1M handoffs, 1M feedback rows, 100k deals and 2k campaigns. */
export const FULL_SIZE: BenchSize = {
  campaigns: 2_000,
  leads: 500_000,
  handoffs: 1_000_000,
  feedback: 1_000_000,
  deals: 100_000,
};

const DAY_MS = 24 * 3_600_000;
/** The data ends here: a Monday, when the weekly digest posts the week just ended. */
export const DATA_END = new Date('2026-11-23T00:00:00Z');
export const DATA_DAYS = 365;
export const DATA_START = new Date(DATA_END.getTime() - DATA_DAYS * DAY_MS);
const ACTIVE_WEEKS = 6;

const YEAR_SECONDS = DATA_DAYS * 24 * 3600;
const ACTIVE_SECONDS = ACTIVE_WEEKS * 7 * 24 * 3600;

/** Reject reasons, most common first, with the cumulative share of rejections up to each. */
const REJECT_REASONS: ReadonlyArray<readonly [string, number]> = [
  ['not_icp', 0.25],
  ['no_budget', 0.45],
  ['bad_timing', 0.6],
  ['wrong_persona', 0.72],
  ['no_need', 0.82],
  ['bad_contact', 0.9],
  ['existing', 0.96],
  ['junk', 1],
];

/**
 * Fills a migrated, empty database. Runs on one connection in one transaction; the secondary indexes are dropped
 * for the load and rebuilt after it (as pg_restore does: building an index once is several times faster than
 * growing it row by row), and the tables are vacuumed and analysed at the end, as autovacuum would have done on
 * a production database by the time a digest runs (the visibility map lets index-only scans skip the heap).
 */
export async function generateBenchData(
  db: Db,
  size: BenchSize,
  { seed = 1, campaignShape = 'waves' }: GenerateOptions = {},
): Promise<void> {
  for (const [name, value] of Object.entries({ ...size, seed })) {
    if (!Number.isSafeInteger(value) || value < (name === 'seed' ? 0 : 1)) throw new Error(`bad ${name}: ${value}`);
  }
  const statements = generationStatements(size, seed, campaignShape);
  await db.transaction().execute(async (trx) => {
    const indexes = await secondaryIndexes(trx, ['campaigns', 'leads', 'handoffs', 'lead_feedback', 'deals']);
    for (const index of indexes) await sql`drop index ${sql.id(index.name)}`.execute(trx);
    // Foreign-key checks off for the load (pg_restore's --disable-triggers): every reference is made from the same
    // md5 formula as the row it names, and checking them row by row doubled the load time. Needs a superuser.
    await sql`set local session_replication_role = replica`.execute(trx);
    for (const statement of statements) await sql.raw(statement).execute(trx);
    for (const index of indexes) await sql.raw(index.definition).execute(trx);
    // The load bypassed the triggers that keep the digest's daily rollups: rebuild them from what was loaded.
    await sql`select digest_rollups_rebuild()`.execute(trx);
  });
  for (const table of ['campaigns', 'leads', 'handoffs', 'lead_feedback', 'deals']) {
    await sql`vacuum (analyze) ${sql.table(table)}`.execute(db);
  }
}

/** The indexes of `tables` that no constraint owns (those a primary key, unique or foreign key does not need). */
async function secondaryIndexes(db: Db, tables: string[]): Promise<Array<{ name: string; definition: string }>> {
  const { rows } = await sql<{ name: string; definition: string }>`
    select c.relname as name, pg_get_indexdef(c.oid) as definition
    from pg_index x
    join pg_class c on c.oid = x.indexrelid
    join pg_class t on t.oid = x.indrelid
    where t.relname in (${sql.join(tables)}) and t.relnamespace = 'public'::regnamespace
      and not exists (select 1 from pg_constraint k where k.conindid = x.indexrelid)
    order by c.relname
  `.execute(db);
  return rows;
}

/** A step that visits every row number below n once (i × step mod n): a prime that does not divide n. */
function permutationStep(n: number): number {
  const step = [1_000_003, 999_983, 999_979].find((prime) => n % prime !== 0);
  if (step === undefined) throw new Error(`no permutation step for ${n}`);
  return step;
}

/** The INSERT statements, in order. Only numbers (checked above) are spliced into them. */
function generationStatements(size: BenchSize, seed: number, campaignShape: CampaignShape): string[] {
  const start = `'${DATA_START.toISOString()}'::timestamptz`;
  const end = `'${DATA_END.toISOString()}'::timestamptz`;
  /** Uniform in [0, 1), the same for the same row, seed and stream. */
  const u = (row: string, stream: number) =>
    `((hashint8extended(${row}, ${seed * 100 + stream}) & 9007199254740991)::float8 / 9007199254740992)`;
  /** A whole number in [0, n). */
  const pick = (row: string, stream: number, n: number | string) => `floor(${u(row, stream)} * ${n})::bigint`;
  const id = (table: string, row: string) => `md5('${seed}:${table}:' || (${row}))::uuid`;
  const secs = (expression: string) => `make_interval(secs => ${expression})`;
  const alwaysOn = campaignShape === 'always-on';
  // In waves, campaign c runs ACTIVE_WEEKS up to START + c × slot, so together they cover the whole year.
  const slot = (YEAR_SECONDS + ACTIVE_SECONDS) / size.campaigns;
  const startsAt = alwaysOn ? start : `${start} + ${secs(`i * ${slot} - ${ACTIVE_SECONDS}`)}`;
  const endsAt = alwaysOn ? 'null::timestamptz' : `starts_at + ${secs(`${ACTIVE_SECONDS}`)}`;
  const handoffCampaign = alwaysOn
    ? pick('i', 3, size.campaigns)
    : `least(${size.campaigns - 1}, floor((at_second + ${u('i', 3)} * ${ACTIVE_SECONDS}) / ${slot}))`;
  const reason = `case ${REJECT_REASONS.map(([code, upTo]) => `when ${u('i', 6)} < ${upTo} then '${code}'`).join(' ')} end`;

  return [
    `insert into campaigns (id, crm_id, name, status, channel, starts_at, ends_at, owner_slack_user_id,
       created_at, updated_at)
     select ${id('campaign', 'i')}, 'CMP-' || i, 'Campaign ' || i,
       case when ends_at <= ${end} then 'ended' else 'launched' end,
       (array['webinar', 'event', 'paid', 'content', 'partner'])[1 + ${pick('i', 50, 5)}],
       starts_at, ends_at, 'UMKT' || ${pick('i', 51, 40)}, starts_at, starts_at
     from generate_series(0, ${size.campaigns - 1}) as i,
       lateral (select ${startsAt} as starts_at) as s,
       lateral (select ${endsAt} as ends_at) as e`,

    `insert into leads (id, crm_id, name, email, company, created_at, updated_at)
     select ${id('lead', 'i')}, 'L-' || i, 'Lead ' || i, 'lead' || i || '@example.com',
       'Company ' || ${pick('i', 52, Math.max(1, Math.round(size.leads / 10)))}, ${start}, ${start}
     from generate_series(0, ${size.leads - 1}) as i`,

    // Handoff i happens in the i-th slice of the year (event ids follow time, as a CRM's do), so that a moment can
    // be mapped back to the handoff of that moment below. Its lead: a permutation gives every lead a first handoff
    // (when it lands below the lead count), the other handoffs go to random leads again. Its campaign: one running
    // then, in waves the campaign whose window ends within ACTIVE_WEEKS after it.
    `insert into handoffs (id, event_id, lead_id, campaign_id, owner_slack_user_id, occurred_at, received_at, status,
       decided_by, decided_at, reject_reason)
     select ${id('handoff', 'i')}, 'evt-' || i,
       ${id('lead', `case when first < ${size.leads} then first else ${pick('i', 1, size.leads)} end`)},
       case when ${u('i', 2)} >= 0.05 then
         ${id('campaign', handoffCampaign)}
       end,
       owner, occurred_at, occurred_at + ${secs(`${u('i', 4)} * 30`)}, status,
       case when status <> 'pending' then owner end,
       case when status <> 'pending' then
         occurred_at + ${secs(`${u('i', 7)} * least(172800, extract(epoch from ${end} - occurred_at))`)}
       end,
       case when status = 'rejected' then ${reason} end
     from generate_series(0, ${size.handoffs - 1}) as i,
       lateral (select (i + ${u('i', 0)}) * ${YEAR_SECONDS / size.handoffs} as at_second,
         i::bigint * ${permutationStep(size.handoffs)} % ${size.handoffs} as first) as a,
       lateral (select ${start} + ${secs('at_second')} as occurred_at, 'UREP' || ${pick('i', 8, 60)} as owner) as b,
       lateral (select case
         when occurred_at >= ${end} - interval '3 days' then
           case when ${u('i', 5)} < 0.5 then 'pending' when ${u('i', 5)} < 0.8 then 'accepted' else 'rejected' end
         else
           case when ${u('i', 5)} < 0.03 then 'pending' when ${u('i', 5)} < 0.65 then 'accepted' else 'rejected' end
         end as status) as c`,

    // Feedback i is given in the i-th slice of the year, on the handoff of a moment up to two weeks earlier.
    `insert into lead_feedback (id, lead_id, handoff_id, rater_slack_user_id, rating, sales_ready, reasons,
       created_at)
     select ${id('feedback', 'i')}, h.lead_id, h.id, h.owner_slack_user_id,
       case h.status when 'rejected' then 1 + ${pick('i', 10, 3)} when 'accepted' then 3 + ${pick('i', 10, 3)}
         else 1 + ${pick('i', 10, 5)} end,
       ${u('i', 11)} < case h.status when 'rejected' then 0.05 when 'accepted' then 0.7 else 0.4 end,
       case when h.status = 'rejected' then array[h.reject_reason] else '{}' end,
       greatest(${start} + ${secs('at_second')}, h.received_at + interval '1 minute')
     from generate_series(0, ${size.feedback - 1}) as i,
       lateral (select (i + ${u('i', 12)}) * ${YEAR_SECONDS / size.feedback} as at_second) as a,
       lateral (select at_second - ${u('i', 13)} * least(1209600, at_second) as judged_second) as b
     join handoffs h on h.id = ${id('handoff', `floor(judged_second / ${YEAR_SECONDS / size.handoffs})::bigint`)}`,

    // Deal i closes in the i-th slice of the year, on the lead of a handoff accepted 1 to 90 days earlier (accepted
    // handoffs are spread evenly over time, so their rank by time maps a moment to one).
    `with accepted as (
       select id, lead_id, campaign_id, received_at, owner_slack_user_id,
         row_number() over (order by occurred_at, id) - 1 as n
       from handoffs where status = 'accepted'
     )
     insert into deals (id, crm_id, name, amount, currency, stage, lost_reason, closed_at, company, lead_id,
       lead_crm_id, lead_email, campaign_id, owner_slack_user_id, created_at, updated_at)
     select ${id('deal', 'i')}, 'D-' || i, 'Deal ' || i,
       round((1000 * exp(${u('i', 20)} * ln(200)))::numeric, 2),
       case when ${u('i', 21)} < 0.8 then 'USD' when ${u('i', 21)} < 0.95 then 'EUR' else 'GBP' end,
       case when won then 'won' else 'lost' end, case when not won then 'no_decision' end,
       closed_at, l.company,
       case when link < 0.95 then l.id end, case when link < 0.95 then l.crm_id end,
       case when link < 0.95 then l.email when link < 0.98 then upper(l.email)
         else 'someone' || i || '@elsewhere.example' end,
       case when link < 0.85 then a.campaign_id end,
       a.owner_slack_user_id, closed_at, closed_at
     from generate_series(0, ${size.deals - 1}) as i,
       lateral (select (i + ${u('i', 22)}) * ${YEAR_SECONDS / size.deals} as at_second) as t,
       lateral (select at_second - ${u('i', 23)} * least(7776000, at_second) as accepted_second) as s
     join accepted a
       on a.n = floor(accepted_second / ${YEAR_SECONDS} * (select count(*) from accepted))::bigint
     join leads l on l.id = a.lead_id,
       lateral (select ${u('i', 24)} < 0.7 as won, ${u('i', 25)} as link,
         greatest(${start} + ${secs('at_second')}, a.received_at + interval '1 hour') as closed_at) as d`,
  ];
}
