import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Handoff } from '../../db/schema.js';
import type { Deps } from '../../deps.js';
import { REASSIGN_REASONS } from '../handoffs/blocks.js';
import { cardContext } from '../handoffs/queries.js';
import { enqueueCardUpdate } from '../handoffs/record.js';
import { awayAmong } from './availability.js';
import { zoneOf } from './presence.js';
import { poolMembers } from './queries.js';
import { type Outcome, postOutcomes } from './reassign-posts.js';
import { workingSecondsBetween } from './working-hours.js';

const BATCH = 200;
type RoutingDeps = Pick<Deps, 'db' | 'config' | 'slack' | 'logger'>;

/** Pending handoffs past twice the SLA, not escalated, owned by a pool member, reassigned fewer than `max` times. */
function reassignable(db: Db, max: number) {
  return db
    .selectFrom('handoffs')
    .where('status', '=', 'pending')
    .where('sla_escalated_at', 'is', null)
    .where('sla_late_at', '<=', sql<Date>`now()`)
    .where('reassignments', '<', max)
    .where('owner_slack_user_id', 'in', (eb) => eb.selectFrom('pool_members').select('slack_user_id'));
}

/**
 * Hands each pending handoff past twice its SLA to the next available member of its owner's pools: least
 * recently assigned first, skipping the away, its earlier owners and its owner. The row lock is the claim (taken
 * with SKIP LOCKED; the new owner clears `sla_late_at`, so no replica claims it again), and the new owner, the
 * history, the card edit and the mention in its thread commit together. What nobody can take is escalated
 * under the same claim, once. Slack is asked who is away before the claim, never inside it.
 */
export async function reassignOverdue(deps: RoutingDeps): Promise<number> {
  const { db, config } = deps;
  if (config.routing.reassign === false) return 0;
  const max = config.routing.maxReassignments;
  const waiting = await reassignable(db, max).select('owner_slack_user_id').distinct().execute();
  if (waiting.length === 0) return 0;
  const members = await poolMembers(db);
  const away = await awayAmong(
    deps,
    members.map((m) => m.slack_user_id),
  );
  const zones = new Map<string, string>();
  for (const { owner_slack_user_id: owner } of waiting) if (owner) zones.set(owner, await zoneOf(deps, owner));
  let total = 0;
  for (;;) {
    const { claimed, moved } = await db.transaction().execute(async (trx) => {
      const rows = await reassignable(trx, max)
        .selectAll()
        .orderBy('sla_late_at')
        .limit(BATCH)
        .forUpdate()
        .skipLocked()
        .execute();
      // Every pool member, locked in one order: replicas reassigning at once take turns through the round robin
      // (each sees the other's last_assigned_at), and never wait on each other crosswise.
      if (rows.length > 0) {
        await trx
          .selectFrom('pool_members')
          .select('pool')
          .orderBy('pool')
          .orderBy('slack_user_id')
          .forUpdate()
          .execute();
      }
      const outcomes: Outcome[] = [];
      for (const handoff of rows) {
        const moved = await reassignOne(trx, handoff, deps, away, zones);
        outcomes.push(moved ?? (await escalated(trx, handoff)));
      }
      await postOutcomes(trx, deps.config, outcomes);
      return { claimed: rows.length, moved: outcomes.filter((o) => o.kind === 'reassigned').length };
    });
    total += moved;
    if (claimed < BATCH) return total;
  }
}

async function reassignOne(
  trx: Db,
  handoff: Handoff,
  deps: RoutingDeps,
  away: Map<string, string>,
  zones: Map<string, string>,
): Promise<Outcome | undefined> {
  const from = handoff.owner_slack_user_id as string;
  const earlier = await trx
    .selectFrom('handoff_reassignments')
    .select('from_slack_user_id')
    .where('handoff_id', '=', handoff.id)
    .execute();
  const skip = new Set([from, ...earlier.map((e) => e.from_slack_user_id), ...away.keys()]);
  const next = await trx
    .selectFrom('pool_members')
    .select(['pool', 'slack_user_id'])
    .where('pool', 'in', (eb) => eb.selectFrom('pool_members').select('pool').where('slack_user_id', '=', from))
    .where('slack_user_id', 'not in', [...skip])
    .orderBy(sql`last_assigned_at asc nulls first`)
    .orderBy('added_at')
    .orderBy('slack_user_id')
    .limit(1)
    .executeTakeFirst();
  if (!next) return undefined;
  const hours = deps.config.routing.workingHours;
  const started = handoff.sla_started_at ?? handoff.occurred_at;
  const zone = zones.get(from) ?? deps.config.schedule.timezone;
  const move = await trx
    .insertInto('handoff_reassignments')
    .values({
      handoff_id: handoff.id,
      pool: next.pool,
      from_slack_user_id: from,
      to_slack_user_id: next.slack_user_id,
      reason: hours ? REASSIGN_REASONS.slaWorkingHours : REASSIGN_REASONS.sla,
      waited_seconds: workingSecondsBetween(started, new Date(), hours, zone),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await trx
    .updateTable('pool_members')
    // The statement's own time: several reassignments in one transaction must still go round the pool.
    .set({ last_assigned_at: sql`clock_timestamp()` })
    .where('pool', '=', next.pool)
    .where('slack_user_id', '=', next.slack_user_id)
    .execute();
  // The new owner is a Slack person from the pool: the CRM's owner no longer names them (and a later mapping of
  // that CRM user must not take the lead back). The clock restarts for them; the SLA check schedules it.
  const updated = await trx
    .updateTable('handoffs')
    .set({
      owner_slack_user_id: next.slack_user_id,
      owner_crm: null,
      owner_crm_id: null,
      owner_name: null,
      owner_email: null,
      reassignments: sql`reassignments + 1`,
      sla_started_at: sql`now()`,
      sla_due_at: null,
      sla_late_at: null,
      sla_reminded_at: null,
    })
    .where('id', '=', handoff.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  const card = await cardContext(trx, updated);
  await enqueueCardUpdate(trx, card);
  return { kind: 'reassigned', handoff: updated, lead: card.lead, campaign: card.campaign, move };
}

/** Nobody in the owner's pools can take it: marked escalated under the same claim; the post follows. */
async function escalated(trx: Db, handoff: Handoff): Promise<Outcome> {
  await trx.updateTable('handoffs').set({ sla_escalated_at: sql`now()` }).where('id', '=', handoff.id).execute();
  const { lead, campaign } = await cardContext(trx, handoff);
  return { kind: 'escalated', handoff, lead, campaign };
}
