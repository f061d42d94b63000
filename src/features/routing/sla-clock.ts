import { sql } from 'kysely';
import type { Deps } from '../../deps.js';
import { zoneOf } from './presence.js';
import { addWorkingSeconds } from './working-hours.js';

const BATCH = 200;

/**
 * Sets when each pending handoff's reminder and next step fall due, for those without: new handoffs, and those
 * whose clock a reassignment restarted. The one place the SLA is computed: `HANDOFF_SLA_HOURS` of working time
 * (WORKING_HOURS in the owner's Slack zone, else DIGEST_TIMEZONE; always, without WORKING_HOURS) from the start
 * of the clock, and as much again. Replicas computing the same row write the same values.
 */
export async function scheduleSlaClocks(deps: Pick<Deps, 'db' | 'config' | 'slack' | 'logger'>): Promise<number> {
  const { db, config } = deps;
  const sla = config.handoffSlaHours * 3600;
  const hours = config.routing.workingHours;
  let scheduled = 0;
  for (;;) {
    const rows = await db
      .selectFrom('handoffs')
      .select(['id', 'owner_slack_user_id', sql<Date>`coalesce(sla_started_at, occurred_at)`.as('started')])
      .where('status', '=', 'pending')
      .where('sla_due_at', 'is', null)
      .limit(BATCH)
      .execute();
    const zones = new Map<string | null, string>();
    for (const owner of new Set(rows.map((r) => r.owner_slack_user_id))) {
      zones.set(owner, hours ? await zoneOf(deps, owner) : config.schedule.timezone);
    }
    for (const row of rows) {
      const zone = zones.get(row.owner_slack_user_id) ?? config.schedule.timezone;
      const due = addWorkingSeconds(new Date(row.started), sla, hours, zone);
      const late = addWorkingSeconds(due, sla, hours, zone);
      await db
        .updateTable('handoffs')
        .set({ sla_due_at: due, sla_late_at: late })
        .where('id', '=', row.id)
        .where('sla_due_at', 'is', null)
        // A reassignment since the read restarted the clock: this due time is for the previous owner.
        // (Within a millisecond: the database keeps microseconds, a JS Date does not.)
        .where(sql<boolean>`abs(extract(epoch from coalesce(sla_started_at, occurred_at) - ${row.started})) < 0.001`)
        .execute();
    }
    scheduled += rows.length;
    if (rows.length < BATCH) return scheduled;
  }
}
