import { type Kysely, sql } from 'kysely';

// Frozen: migrations never import application code.

/**
 * Rollups of the digest's figures per UTC day and per UTC week (Monday), so a digest over months reads weekly rows,
 * the days at its ends daily rows and only the partial days at its very ends the facts, instead of a million facts
 * (and a million index probes to attribute feedback). A `grain` column says which a row is.
 *
 * Kept by triggers, in the same transaction as the facts, whatever code writes them: statement-level, with
 * transition tables, so a multi-row statement is applied once, as a set. Days are UTC dates: the digest reads whole
 * days from here and the partial days at either end of its range from the facts.
 *
 * - digest_handoff_days: handoffs per (occurred day, campaign, status, reject reason).
 * - digest_feedback_days: feedback per (created day, campaign of the lead's most recent handoff *now*). That
 *   attribution changes when a lead gets a newer handoff, so a handoff change moves the lead's feedback between
 *   campaigns. "Most recent" is ordered exactly as the application's one definition (occurred_at desc, received_at
 *   desc).
 * - digest_deal_days: deals per (closed day, campaign, stage, currency): their own campaign, else (named by lead id)
 *   that of the lead's most recent handoff, moved like feedback when that changes.
 * - Not rolled up: handoffs past their SLA (they depend on the clock) and deals with neither a campaign nor a lead
 *   id (attributed through every lead with their email: a twentieth of the deals, attributed when read).
 *
 * The unique keys carry the figures (include), so the digest reads them by index-only scans once vacuumed.
 * Rows that fall to zero are kept (the digest skips them), so concurrent writers only ever update a row.
 * digest_rollups_rebuild() recomputes both from the facts: the backfill below, and after a bulk load that bypassed
 * triggers (the benchmark's generator loads with session_replication_role = replica).
 */
/** The campaign of the lead's most recent handoff, ordered as the application's one definition orders them. */
const latestCampaign = (lead: string) =>
  sql.raw(`select h.campaign_id from handoffs h where h.lead_id = ${lead}
    order by h.occurred_at desc, h.received_at desc limit 1`);

/**
 * Feedback and handoffs of one lead take turns (each locks the lead first, and each later statement of the function
 * sees what the other committed), so neither attributes feedback by a state the other is changing.
 */
const LOCK_LEADS = sql.raw(`1 from leads
  where id in (select lead_id from unnest(old_rows) union select lead_id from unnest(new_rows))
  order by id for no key update`);

const DEAL_MERGE = sql.raw(`on conflict on constraint digest_deal_days_key do update set
  deals = r.deals + excluded.deals, amount = r.amount + excluded.amount`);

const FEEDBACK_MERGE = sql.raw(`on conflict on constraint digest_feedback_days_key do update set
  feedback_count = r.feedback_count + excluded.feedback_count,
  rating_sum = r.rating_sum + excluded.rating_sum,
  sales_ready = r.sales_ready + excluded.sales_ready`);

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table digest_handoff_days (
      grain text not null check (grain in ('day', 'week', 'month')),
      day date not null,
      campaign_id uuid,
      status text not null,
      reject_reason text,
      handoffs integer not null,
      constraint digest_handoff_days_key unique nulls not distinct (grain, day, campaign_id, status, reject_reason)
        include (handoffs)
    )
  `.execute(db);
  await sql`
    create table digest_feedback_days (
      grain text not null check (grain in ('day', 'week', 'month')),
      day date not null,
      campaign_id uuid,
      feedback_count integer not null,
      rating_sum bigint not null,
      sales_ready integer not null,
      constraint digest_feedback_days_key unique nulls not distinct (grain, day, campaign_id)
        include (feedback_count, rating_sum, sales_ready)
    )
  `.execute(db);
  await sql`
    create table digest_deal_days (
      grain text not null check (grain in ('day', 'week', 'month')),
      day date not null,
      campaign_id uuid,
      stage text not null,
      currency text not null,
      deals integer not null,
      amount numeric not null,
      constraint digest_deal_days_key unique nulls not distinct (grain, day, campaign_id, stage, currency)
        include (deals, amount)
    )
  `.execute(db);
  // Campaign-less deals of a lead whose latest handoff changed are looked up by lead: without this, by a full scan.
  await sql`create index deals_lead_no_campaign_idx on deals (lead_id) where campaign_id is null`.execute(db);
  // Every rollup row is written at every grain; the period a timestamp falls in at a grain.
  await sql`
    create function digest_period(grain text, at timestamptz) returns date immutable language sql
    return date_trunc(grain, at at time zone 'UTC')::date
  `.execute(db);

  // The leads a change of handoffs touched whose most recent handoff's campaign changed: from what (the table minus
  // the new rows plus the old ones) to what (the table now). Their feedback and campaign-less deals move with it.
  await sql`
    create function digest_lead_moves(old_rows handoffs[], new_rows handoffs[])
    returns table (moved_lead_id uuid, from_campaign uuid, to_campaign uuid)
    language sql stable as $$
      with leads_touched as (
        select lead_id from unnest(old_rows) union select lead_id from unnest(new_rows)
      )
      select t.lead_id, before.campaign_id as from_campaign, after.campaign_id as to_campaign
        from leads_touched t
        left join lateral (
          select x.campaign_id from (
            select h.campaign_id, h.occurred_at, h.received_at from handoffs h
            where h.lead_id = t.lead_id and h.id not in (select n.id from unnest(new_rows) n)
            union all
            select o.campaign_id, o.occurred_at, o.received_at from unnest(old_rows) o where o.lead_id = t.lead_id
          ) x
          order by x.occurred_at desc, x.received_at desc limit 1
        ) before on true
        left join lateral (${latestCampaign('t.lead_id')}) after on true
        where before.campaign_id is distinct from after.campaign_id
    $$
  `.execute(db);

  // Applies a change of handoffs (rows before, rows after) to the rollups.
  await sql`
    create function digest_apply_handoffs(old_rows handoffs[], new_rows handoffs[]) returns void
    language plpgsql as $$
    declare
      moved_leads uuid[];
      moved_from uuid[];
      moved_to uuid[];
    begin
      perform ${LOCK_LEADS};

      insert into digest_handoff_days as r (grain, day, campaign_id, status, reject_reason, handoffs)
      select g.grain, digest_period(g.grain, occurred_at), campaign_id, status, reject_reason, sum(delta)::int
      from (
        select o.*, -1 as delta from unnest(old_rows) o
        union all
        select n.*, 1 from unnest(new_rows) n
      ) c
      cross join (values ('day'), ('week'), ('month')) g(grain)
      group by 1, 2, 3, 4, 5
      having sum(delta) <> 0
      order by 1, 2, 3, 4, 5
      on conflict on constraint digest_handoff_days_key do update set handoffs = r.handoffs + excluded.handoffs;

      -- Most updates (a decision, the card's outbox id) leave every lead's latest handoff where it was: skip them.
      if not exists (
        select 1 from unnest(old_rows) o full join unnest(new_rows) n on n.id = o.id
        where o.id is null or n.id is null
          or (o.lead_id, o.campaign_id, o.occurred_at, o.received_at)
            is distinct from (n.lead_id, n.campaign_id, n.occurred_at, n.received_at)
      ) then
        return;
      end if;
      select array_agg(moved_lead_id), array_agg(from_campaign), array_agg(to_campaign)
        into moved_leads, moved_from, moved_to
        from digest_lead_moves(old_rows, new_rows);
      if moved_leads is null then
        return;
      end if;

      with moves as (select * from unnest(moved_leads, moved_from, moved_to) as m(lead_id, from_campaign, to_campaign))
      insert into digest_feedback_days as r (grain, day, campaign_id, feedback_count, rating_sum, sales_ready)
      select g.grain, digest_period(g.grain, created_at), campaign_id, sum(n)::int, sum(rating_sum)::bigint,
        sum(ready)::int
      from (
        select f.created_at, m.from_campaign as campaign_id,
          -1 as n, -f.rating::bigint as rating_sum, -(f.sales_ready::int) as ready
        from moves m join lead_feedback f on f.lead_id = m.lead_id
        union all
        select f.created_at, m.to_campaign, 1, f.rating, f.sales_ready::int
        from moves m join lead_feedback f on f.lead_id = m.lead_id
      ) c
      cross join (values ('day'), ('week'), ('month')) g(grain)
      group by 1, 2, 3
      order by 1, 2, 3
      ${FEEDBACK_MERGE};

      with moves as (select * from unnest(moved_leads, moved_from, moved_to) as m(lead_id, from_campaign, to_campaign))
      insert into digest_deal_days as r (grain, day, campaign_id, stage, currency, deals, amount)
      select g.grain, digest_period(g.grain, closed_at), campaign_id, stage, currency, sum(n)::int, sum(amount)
      from (
        select d.closed_at, m.from_campaign as campaign_id, d.stage, d.currency, -1 as n, -d.amount as amount
        from moves m join deals d on d.lead_id = m.lead_id and d.campaign_id is null
        union all
        select d.closed_at, m.to_campaign, d.stage, d.currency, 1, d.amount
        from moves m join deals d on d.lead_id = m.lead_id and d.campaign_id is null
      ) c
      cross join (values ('day'), ('week'), ('month')) g(grain)
      group by 1, 2, 3, 4, 5
      order by 1, 2, 3, 4, 5
      ${DEAL_MERGE};
    end $$
  `.execute(db);

  // Applies a change of feedback rows, attributed by the lead's most recent handoff as the table holds it now.
  await sql`
    create function digest_apply_feedback(old_rows lead_feedback[], new_rows lead_feedback[]) returns void
    language plpgsql as $$ begin
      perform ${LOCK_LEADS};

      insert into digest_feedback_days as r (grain, day, campaign_id, feedback_count, rating_sum, sales_ready)
      select g.grain, digest_period(g.grain, c.created_at), recent.campaign_id,
        sum(c.delta)::int, sum(c.delta * c.rating)::bigint, sum(c.delta * c.sales_ready::int)::int
      from (
        select o.lead_id, o.created_at, o.rating, o.sales_ready, -1 as delta from unnest(old_rows) o
        union all
        select n.lead_id, n.created_at, n.rating, n.sales_ready, 1 from unnest(new_rows) n
      ) c
      left join lateral (${latestCampaign('c.lead_id')}) recent on true
      cross join (values ('day'), ('week'), ('month')) g(grain)
      group by 1, 2, 3
      order by 1, 2, 3
      ${FEEDBACK_MERGE};
    end $$
  `.execute(db);

  // Deals with their own campaign, or else a lead (by id): attributed by the lead's most recent handoff as the table
  // holds it now. Deals with neither (named by email only) are left to the digest's query.
  await sql`
    create function digest_apply_deals(old_rows deals[], new_rows deals[]) returns void
    language plpgsql as $$ begin
      perform ${LOCK_LEADS};

      insert into digest_deal_days as r (grain, day, campaign_id, stage, currency, deals, amount)
      select g.grain, digest_period(g.grain, c.closed_at), coalesce(c.campaign_id, recent.campaign_id), c.stage,
        c.currency, sum(c.delta)::int, sum(c.delta * c.amount)
      from (
        select o.closed_at, o.campaign_id, o.lead_id, o.stage, o.currency, o.amount, -1 as delta from unnest(old_rows) o
        union all
        select n.closed_at, n.campaign_id, n.lead_id, n.stage, n.currency, n.amount, 1 from unnest(new_rows) n
      ) c
      left join lateral (${latestCampaign('c.lead_id')}) recent on c.campaign_id is null
      cross join (values ('day'), ('week'), ('month')) g(grain)
      where c.campaign_id is not null or c.lead_id is not null
      group by 1, 2, 3, 4, 5
      having sum(c.delta) <> 0 or sum(c.delta * c.amount) <> 0
      order by 1, 2, 3, 4, 5
      ${DEAL_MERGE};
    end $$
  `.execute(db);

  // A trigger with transition tables serves one event, so each table has three, sharing one function per table.
  const applies = {
    handoffs: 'digest_apply_handoffs',
    lead_feedback: 'digest_apply_feedback',
    deals: 'digest_apply_deals',
  };
  for (const [table, apply] of Object.entries(applies)) {
    const bodies = {
      insert: `perform ${apply}('{}'::${table}[], (select coalesce(array_agg(n::${table}), '{}'::${table}[]) from new_rows n));`,
      update: `perform ${apply}((select coalesce(array_agg(o::${table}), '{}'::${table}[]) from old_rows o),
                 (select coalesce(array_agg(n::${table}), '{}'::${table}[]) from new_rows n));`,
      delete: `perform ${apply}((select coalesce(array_agg(o::${table}), '{}'::${table}[]) from old_rows o), '{}'::${table}[]);`,
    };
    for (const [event, body] of Object.entries(bodies)) {
      const name = `${table}_digest_${event}`;
      await sql
        .raw(`create function ${name}() returns trigger language plpgsql as $$ begin ${body} return null; end $$`)
        .execute(db);
      const transition =
        event === 'insert'
          ? 'new table as new_rows'
          : event === 'delete'
            ? 'old table as old_rows'
            : 'old table as old_rows new table as new_rows';
      await sql
        .raw(
          `create trigger ${name} after ${event} on ${table} referencing ${transition}
           for each statement execute function ${name}()`,
        )
        .execute(db);
    }
  }

  await sql`
    create function digest_rollups_rebuild() returns void language sql as $$
      delete from digest_handoff_days;
      delete from digest_feedback_days;
      delete from digest_deal_days;
      insert into digest_handoff_days (grain, day, campaign_id, status, reject_reason, handoffs)
      select g.grain, digest_period(g.grain, occurred_at), campaign_id, status, reject_reason, count(*)::int
      from handoffs cross join (values ('day'), ('week'), ('month')) g(grain)
      group by 1, 2, 3, 4, 5;
      insert into digest_feedback_days (grain, day, campaign_id, feedback_count, rating_sum, sales_ready)
      select g.grain, digest_period(g.grain, f.created_at), recent.campaign_id,
        count(*)::int, sum(f.rating)::bigint, count(*) filter (where f.sales_ready)::int
      from lead_feedback f
      left join lateral (${latestCampaign('f.lead_id')}) recent on true
      cross join (values ('day'), ('week'), ('month')) g(grain)
      group by 1, 2, 3;
      insert into digest_deal_days (grain, day, campaign_id, stage, currency, deals, amount)
      select g.grain, digest_period(g.grain, d.closed_at), coalesce(d.campaign_id, recent.campaign_id), d.stage,
        d.currency, count(*)::int, sum(d.amount)
      from deals d
      left join lateral (${latestCampaign('d.lead_id')}) recent on d.campaign_id is null
      cross join (values ('day'), ('week'), ('month')) g(grain)
      where d.campaign_id is not null or d.lead_id is not null
      group by 1, 2, 3, 4, 5;
    $$
  `.execute(db);
  await sql`select digest_rollups_rebuild()`.execute(db);
  // Fresh tables have no statistics: without them the planner guesses a few rows where a year reads tens of thousands.
  await sql`analyze digest_handoff_days, digest_feedback_days, digest_deal_days`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['handoffs', 'lead_feedback', 'deals']) {
    for (const event of ['insert', 'update', 'delete']) {
      await sql.raw(`drop trigger ${table}_digest_${event} on ${table}`).execute(db);
      await sql.raw(`drop function ${table}_digest_${event}()`).execute(db);
    }
  }
  await sql`drop function digest_rollups_rebuild()`.execute(db);
  await sql`drop function digest_apply_feedback(lead_feedback[], lead_feedback[])`.execute(db);
  await sql`drop function digest_apply_handoffs(handoffs[], handoffs[])`.execute(db);
  await sql`drop function digest_lead_moves(handoffs[], handoffs[])`.execute(db);
  await sql`drop function digest_apply_deals(deals[], deals[])`.execute(db);
  await sql`drop function digest_period(text, timestamptz)`.execute(db);
  await sql`drop table digest_deal_days`.execute(db);
  await sql`drop index deals_lead_no_campaign_idx`.execute(db);
  await sql`drop table digest_feedback_days`.execute(db);
  await sql`drop table digest_handoff_days`.execute(db);
}
