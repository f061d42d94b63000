import type { HubSpotConfig } from '../../config.js';
import type { Deps } from '../../deps.js';
import type { OwnerRef } from '../../features/people/record.js';
import { connectorOwner, dealStep, handoffStep } from '../domain.js';
import type { ConnectorHandler, Processed } from '../inbox-worker.js';
import { PermanentFailure } from '../inbox-worker.js';
import type { HubSpotClient } from './client.js';
import type { HubSpotOwner, HubSpotWebhookEvent } from './schema.js';
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
  const resolved = await connectorOwner(deps, ownerRef(ownerId, owner));
  return handoffStep(
    deps,
    { crm: 'hubspot', type: 'contact', id: found.id, modifiedAt: found.updatedAt },
    handoff,
    resolved,
  );
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
  const resolved = await connectorOwner(deps, ownerRef(ownerId, owner));
  return dealStep(deps, { crm: 'hubspot', type: 'deal', id: found.id, modifiedAt: found.updatedAt }, closed, resolved);
}

/** A HubSpot owner for the identity map: the owner id objects reference, with the email and name HubSpot has. */
function ownerRef(ownerId: string | undefined, owner: HubSpotOwner | undefined): OwnerRef {
  const name = [owner?.firstName, owner?.lastName].filter(Boolean).join(' ');
  return { crm: 'hubspot', id: ownerId ?? '', email: owner?.email ?? undefined, name: name || undefined };
}
