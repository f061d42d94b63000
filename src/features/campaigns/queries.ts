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
