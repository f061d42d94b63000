import { campaignEvent } from '../../features/campaigns/schema.js';
import type { dealClosedEvent } from '../../features/deals/schema.js';
import type { leadHandoffEvent } from '../../features/handoffs/schema.js';
import {
  isoDate,
  type Owned,
  ownerlessDeal,
  ownerlessHandoff,
  type Translation,
  text,
  validate,
} from '../translation.js';

/** The sObject types the connector acts on; Outbound Messages for any other type are acked and ignored. */
export const WATCHED_TYPES = new Set(['Lead', 'Opportunity', 'Campaign']);

type Fields = Record<string, string | null>;

export interface SalesforceOptions {
  campaignField: string | undefined;
  defaultCurrency: string;
  /** The org's base URL (from the message's EnterpriseUrl), for links to the record. */
  instanceUrl: string | undefined;
}

/** The newest of LastModifiedDate and SystemModstamp when sent: what staleness is judged by. */
export function modifiedAt(fields: Fields): string | undefined {
  const times = [isoDate(fields.LastModifiedDate), isoDate(fields.SystemModstamp)].filter((t): t is string => !!t);
  return times.sort().at(-1);
}

/** `https://acme.my.salesforce.com/services/Soap/c/62.0/00D…` → `https://acme.my.salesforce.com`. */
export function instanceOf(enterpriseUrl: string | undefined): string | undefined {
  try {
    const url = enterpriseUrl ? new URL(enterpriseUrl) : undefined;
    return url && /^https?:$/.test(url.protocol) ? url.origin : undefined;
  } catch {
    return undefined;
  }
}

const recordUrl = (options: SalesforceOptions, id: string) =>
  options.instanceUrl ? `${options.instanceUrl}/${id}` : undefined;

/** A Salesforce date (`2026-11-20`) or date-time as an ISO date-time. */
function dateTime(value: string | null | undefined): string | undefined {
  const v = text(value);
  return v && /^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : isoDate(v);
}

/**
 * A Lead as a handoff to its OwnerId (a user, or a queue: `00G…`). The event id names the lead and the owner, so
 * handing the same lead to the same owner again is recognisably the same handoff. The owner's email is filled in
 * by processing, through the identity map.
 */
export function translateLead(
  fields: Fields,
  options: SalesforceOptions,
): Translation<Owned<ReturnType<typeof leadHandoffEvent.parse>>> {
  const ownerId = text(fields.OwnerId);
  if (!ownerId) return { skip: 'lead has no owner' };
  const name = [text(fields.FirstName), text(fields.LastName)].filter(Boolean).join(' ') || text(fields.Email);
  const status = text(fields.Status);
  const lead = validate(ownerlessHandoff, {
    event_id: `salesforce:lead:${fields.Id}:owner:${ownerId}`,
    occurred_at: modifiedAt(fields),
    lead: {
      id: fields.Id,
      name: name ?? `Lead ${fields.Id}`,
      email: text(fields.Email),
      company: text(fields.Company),
      title: text(fields.Title),
      phone: text(fields.Phone),
      source: text(fields.LeadSource),
      campaign_id: options.campaignField ? text(fields[options.campaignField]) : undefined,
      notes: status ? `Salesforce lead status: ${status}` : undefined,
      url: recordUrl(options, String(fields.Id)),
    },
  });
  if (!('event' in lead)) return lead;
  return { event: { event: { ...lead.event, owner: {} }, ownerId } };
}

/** An Opportunity with IsClosed true as a closed deal, won by IsWon; its Primary Campaign Source is credited. */
export function translateOpportunity(
  fields: Fields,
  options: SalesforceOptions,
): Translation<Owned<ReturnType<typeof dealClosedEvent.parse>>> {
  if (text(fields.IsClosed) !== 'true') return { skip: 'opportunity is open' };
  const stage = text(fields.IsWon) === 'true' ? 'won' : 'lost';
  const amount = Number(text(fields.Amount) ?? '0');
  const deal = validate(ownerlessDeal, {
    event_id: `salesforce:opportunity:${fields.Id}:${stage}`,
    deal: {
      id: fields.Id,
      name: text(fields.Name) ?? `Opportunity ${fields.Id}`,
      amount: Number.isFinite(amount) ? amount : Number.NaN,
      currency: text(fields.CurrencyIsoCode) ?? options.defaultCurrency,
      closed_at: dateTime(fields.CloseDate) ?? modifiedAt(fields),
      campaign_id: text(fields.CampaignId),
      stage,
    },
  });
  if (!('event' in deal)) return deal;
  return {
    event: { event: { ...deal.event, deal: { ...deal.event.deal, owner: {} } }, ownerId: text(fields.OwnerId) },
  };
}

/** Campaign Status → the campaign webhook's status (Salesforce's standard picklist values). */
const CAMPAIGN_STATUS: Record<string, 'planned' | 'launched' | 'ended'> = {
  Planned: 'planned',
  'In Progress': 'launched',
  Completed: 'ended',
  Aborted: 'ended',
};

/** A Campaign as the campaign webhook's campaign (planned / launched / ended); other statuses are skipped. */
export function translateCampaign(
  fields: Fields,
  options: SalesforceOptions,
): Translation<Owned<ReturnType<typeof campaignEvent.shape.campaign.parse>>> {
  const status = CAMPAIGN_STATUS[text(fields.Status) ?? ''];
  if (!status) return { skip: `campaign status ${text(fields.Status) ?? '(none)'} is not tracked` };
  const campaign = validate(campaignEvent.shape.campaign, {
    id: fields.Id,
    name: text(fields.Name) ?? `Campaign ${fields.Id}`,
    status,
    channel: text(fields.Type),
    starts_at: dateTime(fields.StartDate),
    ends_at: dateTime(fields.EndDate),
    talking_points: text(fields.Description),
    url: recordUrl(options, String(fields.Id)),
  });
  if (!('event' in campaign)) return campaign;
  return { event: { event: campaign.event, ownerId: text(fields.OwnerId) } };
}
