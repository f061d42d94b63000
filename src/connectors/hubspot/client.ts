import type { z } from 'zod';
import type { HubSpotConfig } from '../../config.js';
import type { Metrics } from '../../metrics.js';
import { type CrmApiOptions, crmRequest, TimedCache } from '../api.js';
import {
  type HubSpotContact,
  type HubSpotDeal,
  type HubSpotOwner,
  type HubSpotPipelines,
  hubspotContact,
  hubspotDeal,
  hubspotOwner,
  hubspotPipelines,
} from './schema.js';

export interface HubSpotClientOptions {
  timeoutMs?: number;
  /** How long owners and pipelines are remembered: they change rarely and every event needs them. */
  cacheMs?: number;
}

/**
 * The four HubSpot reads the connector needs, through the connectors' shared request (429's Retry-After, 404 as
 * deleted, timeouts, zod). Only requested properties come back.
 */
export class HubSpotClient {
  private readonly cache: TimedCache;
  private readonly api: CrmApiOptions;

  constructor(
    private readonly config: Pick<HubSpotConfig, 'apiUrl' | 'accessToken'>,
    metrics: Metrics,
    options: HubSpotClientOptions = {},
  ) {
    this.cache = new TimedCache(options.cacheMs ?? 60_000);
    this.api = { crm: 'hubspot', metrics, timeoutMs: options.timeoutMs ?? 10_000, errorMessage };
  }

  /** A contact as it is now; undefined when it was deleted. */
  contact(id: string, properties: string[]): Promise<HubSpotContact | undefined> {
    const query = new URLSearchParams({ properties: properties.join(','), archived: 'false' });
    return this.get('contact', `/crm/v3/objects/contacts/${encodeURIComponent(id)}?${query}`, hubspotContact);
  }

  /** A deal as it is now, with its associated contacts; undefined when it was deleted. */
  deal(id: string, properties: string[]): Promise<HubSpotDeal | undefined> {
    const query = new URLSearchParams({ properties: properties.join(','), associations: 'contacts' });
    return this.get('deal', `/crm/v3/objects/deals/${encodeURIComponent(id)}?${query}`, hubspotDeal);
  }

  owner(id: string): Promise<HubSpotOwner | undefined> {
    return this.cache.get(`owner:${id}`, () =>
      this.get('owner', `/crm/v3/owners/${encodeURIComponent(id)}?idProperty=id`, hubspotOwner),
    );
  }

  async pipelines(): Promise<HubSpotPipelines> {
    const found = await this.cache.get('pipelines', () =>
      this.get('pipelines', '/crm/v3/pipelines/deals', hubspotPipelines),
    );
    return found ?? { results: [] };
  }

  private get<T>(endpoint: string, path: string, schema: z.ZodType<T>): Promise<T | undefined> {
    const headers = { authorization: `Bearer ${this.config.accessToken}`, accept: 'application/json' };
    return crmRequest(this.api, endpoint, `${this.config.apiUrl}${path}`, { headers }, schema);
  }
}

/** HubSpot errors are `{ status: 'error', message, correlationId, category }`. */
function errorMessage(body: string): string {
  try {
    const parsed = JSON.parse(body) as { message?: unknown; category?: unknown };
    if (typeof parsed.message === 'string') return `${parsed.category ?? 'error'}: ${parsed.message}`.slice(0, 500);
  } catch {}
  return body.slice(0, 200) || '(no body)';
}
