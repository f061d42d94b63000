import type { HubSpotConfig } from '../../config.js';
import type { Db } from '../../db/database.js';
import { recordEventOnce } from '../../db/events.js';
import type { Deps } from '../../deps.js';
import { recordDealClosed } from '../../features/deals/record.js';
import { recordHandoff } from '../../features/handoffs/record.js';
import type { ConnectorHandler, Processed } from '../inbox-worker.js';
import { PermanentFailure } from '../inbox-worker.js';
import type { HubSpotClient } from './client.js';
import type { HubSpotWebhookEvent } from './schema.js';
import { closedOutcome, contactProperties, DEAL_PROPERTIES, translateContact, translateDeal } from './translate.js';

/**
 * Processes one stored HubSpot event: reads the object as it is now (never the event's possibly stale value),
 * translates it, and hands it to the same domain step the native webhooks use, in the transaction that marks the
 * event done.
 */
export function hubspotHandler(deps: Deps, hubspot: HubSpotConfig, client: HubSpotClient): ConnectorHandler {
  return async (row) => {
    const event = row.payload as unknown as HubSpotWebhookEvent;
    const object = row.kind.split('.')[0];
    if (object === 'contact') return contact(deps, hubspot, client, event);
    if (object === 'deal') return deal(deps, hubspot, client, event);
    return { outcome: `ignored: ${row.kind}` };
  };
}

async function contact(
  deps: Deps,
  hubspot: HubSpotConfig,
  client: HubSpotClient,
  event: HubSpotWebhookEvent,
): Promise<Processed> {
  const found = await client.contact(event.objectId, contactProperties(hubspot.campaignProperty));
  if (!found) return { outcome: 'nothing: contact deleted' };
  const ownerId = found.properties.hubspot_owner_id?.trim();
  const owner = ownerId ? await client.owner(ownerId) : undefined;
  const translated = translateContact(found, owner, {
    portalId: event.portalId,
    trigger: hubspot.handoffTrigger,
    campaignProperty: hubspot.campaignProperty,
    occurredAt: event.occurredAt,
  });
  if ('skip' in translated) return { outcome: `nothing: ${translated.skip}` };
  if ('invalid' in translated)
    throw new PermanentFailure(`contact ${found.id} cannot be a handoff: ${translated.invalid}`);
  const handoff = translated.event;
  const ownerSlackUserId = await deps.users.resolve(handoff.owner);
  return {
    outcome: 'handoff',
    async apply(trx) {
      if (await isStale(trx, 'contact', found.id, found.updatedAt)) return 'nothing: a newer copy was applied';
      // Handed to the owner of the lead's latest handoff again: the same handoff. The previous handoff is part of
      // the id, so two workers racing on one assignment compute the same id and only one records it.
      const latest = await trx
        .selectFrom('handoffs')
        .innerJoin('leads', 'leads.id', 'handoffs.lead_id')
        .select(['handoffs.id', 'handoffs.owner_email'])
        .where('leads.crm_id', '=', handoff.lead.id)
        .orderBy('handoffs.occurred_at', 'desc')
        .orderBy('handoffs.received_at', 'desc')
        .limit(1)
        .executeTakeFirst();
      if (latest && latest.owner_email?.toLowerCase() === handoff.owner.email?.toLowerCase()) {
        return 'nothing: already handed to this owner';
      }
      const eventId = `${handoff.event_id}:after:${latest?.id ?? 'none'}`;
      if (!(await recordEventOnce(trx, eventId, 'hubspot-contact'))) return 'nothing: duplicate handoff';
      const recorded = await recordHandoff(
        trx,
        { ...handoff, event_id: eventId },
        ownerSlackUserId,
        deps.config.channels.sales,
      );
      return `handoff ${recorded.id}`;
    },
  };
}

async function deal(
  deps: Deps,
  hubspot: HubSpotConfig,
  client: HubSpotClient,
  event: HubSpotWebhookEvent,
): Promise<Processed> {
  const found = await client.deal(event.objectId, DEAL_PROPERTIES);
  if (!found) return { outcome: 'nothing: deal deleted' };
  const pipelines = await client.pipelines();
  const stage = found.properties.dealstage ?? '';
  // Open stages need no owner lookup: they do nothing.
  if (!closedOutcome(pipelines, found.properties.pipeline ?? 'default', stage)) {
    return { outcome: `nothing: stage ${stage || '(none)'} is open` };
  }
  const ownerId = found.properties.hubspot_owner_id?.trim();
  const owner = ownerId ? await client.owner(ownerId) : undefined;
  const translated = translateDeal(found, pipelines, owner, {
    portalId: event.portalId,
    defaultCurrency: hubspot.defaultCurrency,
  });
  if ('skip' in translated) return { outcome: `nothing: ${translated.skip}` };
  if ('invalid' in translated) throw new PermanentFailure(`deal ${found.id} cannot be recorded: ${translated.invalid}`);
  const closed = translated.event;
  const ownerSlackUserId = await deps.users.resolve(closed.deal.owner);
  return {
    outcome: 'deal',
    async apply(trx) {
      if (await isStale(trx, 'deal', found.id, found.updatedAt)) return 'nothing: a newer copy was applied';
      // recordDealClosed is idempotent by deal: it celebrates a win once and edits it only when what it shows changed.
      const { deal: stored, celebration } = await recordDealClosed(trx, closed, {
        ownerSlackUserId,
        winsChannel: deps.config.channels.wins,
      });
      return `deal ${stored.id} ${stored.stage}, celebration ${celebration}`;
    },
  };
}

/**
 * Records `modifiedAt` as the newest version of the object applied, unless a newer one already was (then this
 * copy is stale: fetched before it, committed after it). The row lock also makes events for one object take turns.
 */
async function isStale(trx: Db, objectType: string, objectId: string, modifiedAt: string): Promise<boolean> {
  const applied = await trx
    .insertInto('connector_objects')
    .values({ crm: 'hubspot', object_type: objectType, object_id: objectId, modified_at: modifiedAt })
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
