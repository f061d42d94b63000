import type { HubSpotHandoffTrigger } from '../../config.js';
import { type DealClosedEvent, dealClosedEvent } from '../../features/deals/schema.js';
import { type LeadHandoffEvent, leadHandoffEvent } from '../../features/handoffs/schema.js';
import { isoDate, type Translation, text, validate } from '../translation.js';
import type { HubSpotContact, HubSpotDeal, HubSpotOwner, HubSpotPipelines } from './schema.js';

export type { Translation };

/** Contact properties the translation reads (the API returns only what is asked for). */
export function contactProperties(campaignProperty: string): string[] {
  return [
    'firstname',
    'lastname',
    'email',
    'company',
    'jobtitle',
    'phone',
    'lifecyclestage',
    'hubspot_owner_id',
    'hubspot_owner_assigneddate',
    'hs_analytics_source',
    'lastmodifieddate',
    campaignProperty,
  ];
}

export const DEAL_PROPERTIES = [
  'dealname',
  'amount',
  'deal_currency_code',
  'dealstage',
  'pipeline',
  'closedate',
  'closed_lost_reason',
  'hubspot_owner_id',
  'hs_lastmodifieddate',
];

export interface ContactOptions {
  portalId: string;
  trigger: HubSpotHandoffTrigger;
  campaignProperty: string;
  /** When the event that led here happened (ms), used when HubSpot has no assignment date. */
  occurredAt: number;
}

/** `https://app.hubspot.com/contacts/{portal}/record/{objectTypeId}/{id}`: 0-1 contacts, 0-3 deals. */
export function recordUrl(portalId: string, objectTypeId: '0-1' | '0-3', id: string): string {
  return `https://app.hubspot.com/contacts/${portalId}/record/${objectTypeId}/${id}`;
}

/**
 * A contact as a lead handoff when it meets the trigger: it has an owner (`owner`), or it is in the lifecycle stage
 * named and has an owner (`lifecyclestage:<value>`). The owner's email says who; the event id names the contact and
 * the owner, so handing the same contact to the same owner again is recognisably the same handoff.
 */
export function translateContact(
  contact: HubSpotContact,
  owner: HubSpotOwner | undefined,
  options: ContactOptions,
): Translation<LeadHandoffEvent> {
  const p = contact.properties;
  const ownerId = text(p.hubspot_owner_id);
  if (!ownerId) return { skip: 'contact has no owner' };
  if (options.trigger.kind === 'lifecyclestage' && text(p.lifecyclestage) !== options.trigger.stage) {
    return { skip: `contact is not in lifecycle stage ${options.trigger.stage}` };
  }
  const ownerEmail = text(owner?.email);
  if (!ownerEmail) return { skip: `owner ${ownerId} has no email` };
  const name =
    [text(p.firstname), text(p.lastname)].filter(Boolean).join(' ') || text(p.email) || `Contact ${contact.id}`;
  const assigned = options.trigger.kind === 'owner' ? isoDate(p.hubspot_owner_assigneddate) : undefined;
  return validate(leadHandoffEvent, {
    event_id: `hubspot:contact:${contact.id}:owner:${ownerId}`,
    occurred_at: assigned ?? new Date(options.occurredAt).toISOString(),
    lead: {
      id: contact.id,
      name,
      email: text(p.email),
      company: text(p.company),
      title: text(p.jobtitle),
      phone: text(p.phone),
      source: text(p.hs_analytics_source),
      campaign_id: text(p[options.campaignProperty]),
      url: recordUrl(options.portalId, '0-1', contact.id),
    },
    owner: { email: ownerEmail },
  });
}

export interface DealOptions {
  portalId: string;
  defaultCurrency: string;
}

/**
 * Whether a stage closes a deal, won or lost: the pipeline's stage metadata (closed, probability 1.0 won, 0.0 lost),
 * and the default pipeline's `closedwon`/`closedlost` ids should the metadata be missing. Open stages: undefined.
 */
export function closedOutcome(
  pipelines: HubSpotPipelines,
  pipelineId: string,
  stageId: string,
): 'won' | 'lost' | undefined {
  const stage = pipelines.results.find((p) => p.id === pipelineId)?.stages.find((s) => s.id === stageId);
  if (stage) {
    const closed = String(stage.metadata.isClosed ?? '').toLowerCase() === 'true';
    const probability = Number(stage.metadata.probability);
    if (closed && probability === 1) return 'won';
    if (closed && probability === 0) return 'lost';
    if (stage.metadata.isClosed !== undefined) return undefined;
  }
  if (pipelineId === 'default' && stageId === 'closedwon') return 'won';
  if (pipelineId === 'default' && stageId === 'closedlost') return 'lost';
  return undefined;
}

/** A deal in a closed stage as a closed deal: amount, currency, close date, owner, its first contact as the lead. */
export function translateDeal(
  deal: HubSpotDeal,
  pipelines: HubSpotPipelines,
  owner: HubSpotOwner | undefined,
  options: DealOptions,
): Translation<DealClosedEvent> {
  const p = deal.properties;
  const stageId = text(p.dealstage);
  if (!stageId) return { skip: 'deal has no stage' };
  const pipelineId = text(p.pipeline) ?? 'default';
  const outcome = closedOutcome(pipelines, pipelineId, stageId);
  if (!outcome) return { skip: `stage ${stageId} is open` };
  const ownerEmail = text(owner?.email);
  if (!ownerEmail) return { skip: 'deal has no owner with an email' };
  const amount = Number(text(p.amount) ?? '0');
  return validate(dealClosedEvent, {
    event_id: `hubspot:deal:${deal.id}:${stageId}`,
    deal: {
      id: deal.id,
      name: text(p.dealname) ?? `Deal ${deal.id}`,
      amount: Number.isFinite(amount) ? amount : Number.NaN,
      currency: text(p.deal_currency_code) ?? options.defaultCurrency,
      closed_at: isoDate(p.closedate) ?? isoDate(p.hs_lastmodifieddate) ?? isoDate(deal.updatedAt),
      lead_id: deal.associations?.contacts?.results[0]?.id,
      stage: outcome,
      lost_reason: outcome === 'lost' ? text(p.closed_lost_reason) : undefined,
      url: recordUrl(options.portalId, '0-3', deal.id),
      owner: { email: ownerEmail },
    },
  });
}

/** Deal properties whose change can change a closed deal (and so its celebration). */
const WATCHED_DEAL_PROPERTIES = new Set([
  'dealstage',
  'pipeline',
  'amount',
  'dealname',
  'deal_currency_code',
  'closedate',
  'hubspot_owner_id',
]);

/**
 * Whether an event can matter to Tandem, judged from its type and property only (the object is fetched later):
 * contact creation and owner changes (and lifecycle-stage changes under that trigger); deal creation and changes
 * to the properties a closed deal shows. Everything else is answered and counted, not stored.
 */
export function isWatched(
  event: { subscriptionType: string; propertyName?: string | undefined },
  trigger: HubSpotHandoffTrigger,
): boolean {
  const [object, change] = event.subscriptionType.split('.');
  if (object === 'contact') {
    if (change === 'creation') return true;
    if (change !== 'propertyChange') return false;
    return (
      event.propertyName === 'hubspot_owner_id' ||
      (trigger.kind === 'lifecyclestage' && event.propertyName === 'lifecyclestage')
    );
  }
  if (object === 'deal') {
    if (change === 'creation') return true;
    return change === 'propertyChange' && WATCHED_DEAL_PROPERTIES.has(event.propertyName ?? '');
  }
  return false;
}
