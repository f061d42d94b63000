import type { Deps } from '../../deps.js';
import type { ReadCrmUser, ResolvedOwner } from '../../features/people/record.js';
import { type CrmObject, connectorOwner, dealStep, handoffStep, settled } from '../domain.js';
import type { ConnectorHandler } from '../inbox-worker.js';
import type { PipedriveClient } from './client.js';
import type { PipedriveWebhook } from './schema.js';
import { modifiedAt, translateAssignment, translateDeal } from './translate.js';

/**
 * Processes one stored Pipedrive event. v2 sends the object as it is now in `data`, so nothing is re-read but the
 * owner's email (with an API token); a copy older than one already applied (by `update_time`) is stale.
 */
export function pipedriveHandler(deps: Deps, client: PipedriveClient | undefined): ConnectorHandler {
  const readUser: ReadCrmUser | undefined = client ? (id) => client.user(id) : undefined;
  return async (row) => {
    const body = row.payload as unknown as PipedriveWebhook;
    const entity = body.meta.entity;
    const object: CrmObject = {
      crm: 'pipedrive',
      type: entity,
      id: row.object_id,
      modifiedAt: modifiedAt(body.data ?? {}),
    };
    const owner = (ownerId: string | undefined) =>
      ownerId ? connectorOwner(deps, { crm: 'pipedrive', id: ownerId }, readUser) : Promise.resolve(undefined);
    if (entity === 'person' || entity === 'lead') {
      const assigned = settled(object, translateAssignment(body));
      if (!('event' in assigned)) return assigned;
      const resolved = (await owner(assigned.event.ownerId)) as ResolvedOwner;
      return handoffStep(deps, object, { ...assigned.event.event, owner: { email: resolved.email } }, resolved);
    }
    if (entity === 'deal') {
      const closed = settled(object, translateDeal(body));
      if (!('event' in closed)) return closed;
      const resolved = await owner(closed.event.ownerId);
      const deal = { ...closed.event.event, deal: { ...closed.event.event.deal, owner: { email: resolved?.email } } };
      return dealStep(deps, object, deal, resolved);
    }
    return { outcome: `ignored: ${row.kind}` };
  };
}
