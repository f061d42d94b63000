import type { Db } from '../db/database.js';

/**
 * Records `modifiedAt` as the newest version of a CRM object applied, unless a newer one already was: then this
 * copy is stale (fetched or sent before it, processed after it) and must not be acted on. The row lock also makes
 * events for one object take turns.
 */
export async function isStale(
  trx: Db,
  crm: string,
  objectType: string,
  objectId: string,
  modifiedAt: string,
): Promise<boolean> {
  const applied = await trx
    .insertInto('connector_objects')
    .values({ crm, object_type: objectType, object_id: objectId, modified_at: modifiedAt })
    .onConflict((oc) =>
      oc
        .columns(['crm', 'object_type', 'object_id'])
        .doUpdateSet({ modified_at: modifiedAt })
        .where('connector_objects.modified_at', '<=', new Date(modifiedAt)),
    )
    .returning('object_id')
    .executeTakeFirst();
  return applied === undefined;
}
