import type { SalesforceConfig } from '../../config.js';
import type { Deps } from '../../deps.js';
import { applyCampaignEvent } from '../../features/campaigns/record.js';
import type { ReadCrmUser, ResolvedOwner } from '../../features/people/record.js';
import {
  type CrmObject,
  connectorOwner,
  dealStep,
  handoffStep,
  isStaleCopy,
  STALE,
  settled,
  slackIdOf,
} from '../domain.js';
import type { ConnectorHandler, Processed } from '../inbox-worker.js';
import type { SalesforceClient } from './client.js';
import type { StoredNotification } from './route.js';
import {
  instanceOf,
  modifiedAt,
  type SalesforceOptions,
  translateCampaign,
  translateLead,
  translateOpportunity,
} from './translate.js';

/**
 * Processes one stored notification. Salesforce sends the fields' current values in the message, so nothing is
 * re-read but the owner's email (when the REST API is configured); a copy older than one already applied is
 * stale and ignored, which is how resends and reordering come out right.
 */
export function salesforceHandler(
  deps: Deps,
  sf: SalesforceConfig,
  client: SalesforceClient | undefined,
): ConnectorHandler {
  const readUser: ReadCrmUser | undefined = client ? (id) => client.user(id) : undefined;
  return async (row) => {
    const n = row.payload as unknown as StoredNotification;
    const options: SalesforceOptions = {
      campaignField: sf.campaignField,
      defaultCurrency: sf.defaultCurrency,
      instanceUrl: instanceOf(n.enterpriseUrl),
    };
    const object: CrmObject = {
      crm: 'salesforce',
      type: n.type,
      id: String(n.fields.Id),
      modifiedAt: modifiedAt(n.fields),
    };
    const owner = (ownerId: string | undefined) =>
      ownerId ? connectorOwner(deps, { crm: 'salesforce', id: ownerId }, readUser) : Promise.resolve(undefined);
    if (n.type === 'Lead') {
      const lead = settled(object, translateLead(n.fields, options));
      if (!('event' in lead)) return lead;
      const resolved = (await owner(lead.event.ownerId)) as ResolvedOwner;
      const handoff = { ...lead.event.event, owner: { email: resolved.email } };
      return handoffStep(deps, object, handoff, resolved);
    }
    if (n.type === 'Opportunity') {
      const deal = settled(object, translateOpportunity(n.fields, options));
      if (!('event' in deal)) return deal;
      const resolved = await owner(deal.event.ownerId);
      const closed = { ...deal.event.event, deal: { ...deal.event.event.deal, owner: { email: resolved?.email } } };
      return dealStep(deps, object, closed, resolved);
    }
    if (n.type === 'Campaign') {
      const campaign = settled(object, translateCampaign(n.fields, options));
      if (!('event' in campaign)) return campaign;
      const resolved = await owner(campaign.event.ownerId);
      const fields = { ...campaign.event.event, owner: resolved?.email ? { email: resolved.email } : undefined };
      return campaignStep(deps, object, fields, slackIdOf(resolved));
    }
    return { outcome: `ignored: ${n.type}` };
  };
}

/** A Campaign, through the campaign webhook's own domain step. */
function campaignStep(
  deps: Deps,
  object: CrmObject,
  fields: Parameters<typeof applyCampaignEvent>[2],
  ownerSlackUserId: string | null,
): Processed {
  return {
    outcome: 'campaign',
    async apply(trx) {
      if (await isStaleCopy(trx, object)) return STALE;
      const { campaign, posted } = await applyCampaignEvent(trx, deps.config.channels.sales, fields, ownerSlackUserId);
      return `campaign ${campaign.id} ${fields.status}, ${posted}`;
    },
  };
}
