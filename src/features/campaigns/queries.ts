import { sql, type Updateable } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Campaign, CampaignsTable } from '../../db/schema.js';
import { ensureCampaign } from '../leads/queries.js';

/**
 * The campaign with this CRM id, locked until the transaction ends; a placeholder is created first when there is
 * none. Locking (rather than reading, then upserting) makes two events for one campaign run one after the other,
 * so a campaign is announced once even when its `launched` and `updated` events arrive together.
 */
export function lockCampaign(trx: Db, crmId: string): Promise<Campaign> {
  return ensureCampaign(trx, crmId, { lock: true });
}

/** Changes a campaign and stamps `updated_at`. */
export async function updateCampaign(trx: Db, id: string, values: Updateable<CampaignsTable>): Promise<Campaign> {
  return trx
    .updateTable('campaigns')
    .set({ ...values, updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** A campaign as the weekly note lists it, with where its announcement was posted (when it was). */
export type NoteCampaign = Campaign & { announcement_channel: string | null; announcement_ts: string | null };

export interface NoteCampaigns {
  live: NoteCampaign[];
  launching: NoteCampaign[];
  ended: NoteCampaign[];
}

/**
 * The campaigns the weekly note names at `now`, each list in the order it reads best:
 * - live: launched (or updated), started (or no start date) and not past its end;
 * - launching: not ended, starting after `now` and before `launchingUntil`, soonest first;
 * - ended: ended at or after `endedSince` and by `now` (its end date, or when it was marked ended without one
 *   in the future), latest first.
 * Placeholders (campaigns only named by a handoff or deal) are not campaigns anyone announced: left out.
 */
export async function campaignsForNote(
  db: Db,
  { now, launchingUntil, endedSince }: { now: Date; launchingUntil: Date; endedSince: Date },
): Promise<NoteCampaigns> {
  const endedAt = sql<Date | null>`case when c.ends_at <= ${now} then c.ends_at
    when c.status = 'ended' then c.updated_at end`;
  const rows = await db
    .selectFrom('campaigns as c')
    .leftJoin('outbox as o', 'o.id', 'c.announcement_outbox_id')
    .selectAll('c')
    .select(['o.channel as announcement_channel', 'o.delivered_ts as announcement_ts'])
    .select(
      sql<'live' | 'launching' | 'ended' | null>`case
      when c.status in ('launched', 'updated') and (c.starts_at is null or c.starts_at <= ${now})
        and (c.ends_at is null or c.ends_at > ${now}) then 'live'
      when c.status <> 'ended' and c.starts_at > ${now} and c.starts_at < ${launchingUntil} then 'launching'
      when ${endedAt} >= ${endedSince} and ${endedAt} <= ${now} then 'ended'
    end`.as('section'),
    )
    .select(endedAt.as('ended_at'))
    .where('c.placeholder', '=', false)
    .execute();
  const pick = (section: string) => rows.filter((row) => row.section === section);
  const strip = ({ section: _, ended_at: __, ...campaign }: (typeof rows)[number]): NoteCampaign => campaign;
  const time = (date: Date | null) => date?.getTime() ?? Number.POSITIVE_INFINITY;
  return {
    live: pick('live')
      .sort((a, b) => time(a.ends_at) - time(b.ends_at) || a.name.localeCompare(b.name))
      .map(strip),
    launching: pick('launching')
      .sort((a, b) => time(a.starts_at) - time(b.starts_at) || a.name.localeCompare(b.name))
      .map(strip),
    ended: pick('ended')
      .sort((a, b) => time(b.ended_at) - time(a.ended_at) || a.name.localeCompare(b.name))
      .map(strip),
  };
}
