import type { z } from 'zod';
import type { HubSpotConfig } from '../../config.js';
import type { Metrics } from '../../metrics.js';
import { PermanentFailure, RetryLater } from '../inbox-worker.js';
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

/** When HubSpot's 429 carries no Retry-After: its limits are per second and per day; ten seconds is a fair wait. */
const DEFAULT_RETRY_AFTER_MS = 10_000;

/**
 * The four HubSpot reads the connector needs, with plain fetch so that a 429's Retry-After, a 404 (deleted: nothing
 * to do) and timeouts are handled exactly. Responses are parsed with zod; only requested properties come back.
 */
export class HubSpotClient {
  private readonly cache = new Map<string, { value: Promise<unknown>; expires: number }>();
  private readonly timeoutMs: number;
  private readonly cacheMs: number;

  constructor(
    private readonly config: Pick<HubSpotConfig, 'apiUrl' | 'accessToken'>,
    private readonly metrics: Metrics,
    options: HubSpotClientOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.cacheMs = options.cacheMs ?? 60_000;
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
    return this.cached(`owner:${id}`, () =>
      this.get('owner', `/crm/v3/owners/${encodeURIComponent(id)}?idProperty=id`, hubspotOwner),
    );
  }

  async pipelines(): Promise<HubSpotPipelines> {
    const found = await this.cached('pipelines', () =>
      this.get('pipelines', '/crm/v3/pipelines/deals', hubspotPipelines),
    );
    return found ?? { results: [] };
  }

  private cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    const hit = this.cache.get(key);
    if (hit && hit.expires > Date.now()) return hit.value as Promise<T>;
    const value = load();
    this.cache.set(key, { value, expires: Date.now() + this.cacheMs });
    value.catch(() => this.cache.delete(key)); // failures are not remembered
    return value;
  }

  private async get<T>(endpoint: string, path: string, schema: z.ZodType<T>): Promise<T | undefined> {
    const count = (result: string) => this.metrics.connectorApiCalls.inc({ crm: 'hubspot', endpoint, result });
    let res: Response;
    try {
      res = await fetch(`${this.config.apiUrl}${path}`, {
        headers: { authorization: `Bearer ${this.config.accessToken}`, accept: 'application/json' },
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      count('error');
      throw new Error(`HubSpot ${endpoint} read failed: ${(err as Error).message}`);
    }
    const body = await res.text().catch(() => '');
    if (res.status === 404) {
      count('not_found');
      return undefined;
    }
    if (res.status === 429) {
      count('rate_limited');
      const seconds = Number(res.headers.get('retry-after'));
      const wait = Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : DEFAULT_RETRY_AFTER_MS;
      throw new RetryLater(wait, `HubSpot rate limit (${endpoint}): ${errorMessage(body)}`);
    }
    if (!res.ok) {
      count(`http_${res.status}`);
      const message = `HubSpot ${endpoint} read answered ${res.status}: ${errorMessage(body)}`;
      // Bad token, missing scope, bad request: retrying will not help until someone fixes it.
      throw res.status >= 500 || res.status === 408 ? new Error(message) : new PermanentFailure(message);
    }
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      count('error');
      throw new Error(`HubSpot ${endpoint} read answered with something other than JSON`);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      count('error');
      throw new PermanentFailure(`HubSpot ${endpoint} answer has an unexpected shape: ${parsed.error.message}`);
    }
    count('ok');
    return parsed.data;
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
