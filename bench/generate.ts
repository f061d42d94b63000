import { sql } from 'kysely';
import type { Db } from '../src/db/database.js';

export interface BenchSize {
  campaigns: number;
  leads: number;
  handoffs: number;
  feedback: number;
  deals: number;
}

/** Everything happens in this year, so one week holds about 1/52 of each table. */
export const YEAR_START = new Date('2026-01-01T00:00:00Z');
const YEAR_SECONDS = 365 * 24 * 3600;

/**
 * Fills a migrated, empty database with deterministic data in SQL (generate_series): ids are md5 of the row number
 * and every "random" choice is modular arithmetic on it, so every run builds the same rows without a seed to keep.
 */
export async function generateBenchData(db: Db, size: BenchSize): Promise<void> {
  const start = YEAR_START.toISOString();
  await sql`
    insert into campaigns (id, crm_id, name)
    select md5('campaign-' || i)::uuid, 'CMP-' || i, 'Campaign ' || i
    from generate_series(0, ${size.campaigns - 1}) as i
  `.execute(db);
  await sql`
    insert into leads (id, crm_id, name, email)
    select md5('lead-' || i)::uuid, 'L-' || i, 'Lead ' || i, 'lead' || i || '@example.com'
    from generate_series(0, ${size.leads - 1}) as i
  `.execute(db);
  // 5% of handoffs have no campaign; 60% accepted, 25% rejected (8 reasons), 15% pending.
  await sql`
    insert into handoffs (event_id, lead_id, campaign_id, owner_slack_user_id, occurred_at, received_at, status, reject_reason)
    select 'evt-' || i,
      md5('lead-' || (i::bigint * 7919 % ${size.leads}))::uuid,
      case when i % 20 = 0 then null else md5('campaign-' || (i::bigint * 104729 % ${size.campaigns}))::uuid end,
      'UREP' || (i % 50),
      t, t + interval '5 seconds',
      case when i % 20 < 12 then 'accepted' when i % 20 < 17 then 'rejected' else 'pending' end,
      case when i % 20 between 12 and 16 then
        (array['wrong_persona','not_icp','no_budget','no_need','bad_timing','bad_contact','existing','junk'])[1 + i % 8]
      end
    from generate_series(0, ${size.handoffs - 1}) as i,
      lateral (select ${start}::timestamptz + make_interval(secs => (i::bigint * 48271 % ${YEAR_SECONDS}))) as at(t)
  `.execute(db);
  await sql`
    insert into lead_feedback (lead_id, rater_slack_user_id, rating, sales_ready, reasons, created_at)
    select md5('lead-' || (i::bigint * 6151 % ${size.leads}))::uuid, 'UREP' || (i % 50), 1 + (i * 13) % 5,
      (i * 17) % 3 = 0, '{}', ${start}::timestamptz + make_interval(secs => (i::bigint * 69621 % ${YEAR_SECONDS}))
    from generate_series(0, ${size.feedback - 1}) as i
  `.execute(db);
  // A third each: attributed by campaign, by lead id, by lead email.
  await sql`
    insert into deals (crm_id, name, amount, currency, stage, closed_at, campaign_id, lead_id, lead_email)
    select 'D-' || i, 'Deal ' || i, (i::bigint * 37 % 100000) + 0.5,
      (array['USD','EUR','GBP'])[1 + i % 3],
      case when i % 4 = 0 then 'lost' else 'won' end,
      ${start}::timestamptz + make_interval(secs => (i::bigint * 16807 % ${YEAR_SECONDS})),
      case when i % 3 = 0 then md5('campaign-' || (i % ${size.campaigns}))::uuid end,
      case when i % 3 = 1 then md5('lead-' || (i::bigint * 31 % ${size.leads}))::uuid end,
      case when i % 3 = 2 then 'LEAD' || (i::bigint * 31 % ${size.leads}) || '@example.com' end
    from generate_series(0, ${size.deals - 1}) as i
  `.execute(db);
  await sql`analyze`.execute(db);
}
