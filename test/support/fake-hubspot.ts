import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { FakeHttpServer } from './fake-server.js';

/**
 * A HubSpot API server for tests, following HubSpot's documented CRM v3 shapes: objects as
 * `{ id, properties, createdAt, updatedAt, archived }` with only the requested properties (null when unset) plus
 * the defaults HubSpot always adds; deals with `?associations=contacts`; owners; deal pipelines with stage metadata
 * as strings; errors as `{ status: 'error', message, correlationId, category }`; 404 for deleted objects; 429 with
 * Retry-After on demand; and a delay to play a slow API.
 */
export const HUBSPOT_TOKEN = 'pat-na1-test-token-0000';

export interface ApiCall {
  path: string;
  query: URLSearchParams;
  status: number;
  at: number;
}

interface StoredObject {
  properties: Record<string, string>;
  createdAt: string;
  updatedAt: string;
  /** Deals: ids of the associated contacts. */
  contacts?: string[];
}

export interface Owner {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  userId: number;
}

const DEFAULT_PIPELINE = {
  id: 'default',
  label: 'Sales Pipeline',
  displayOrder: 0,
  stages: [
    ['appointmentscheduled', 'Appointment Scheduled', 'false', '0.2'],
    ['qualifiedtobuy', 'Qualified To Buy', 'false', '0.4'],
    ['contractsent', 'Contract Sent', 'false', '0.9'],
    ['closedwon', 'Closed Won', 'true', '1.0'],
    ['closedlost', 'Closed Lost', 'true', '0.0'],
  ].map(([id, label, isClosed, probability], displayOrder) => ({
    id,
    label,
    displayOrder,
    metadata: { isClosed, probability },
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
    archived: false,
  })),
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
  archived: false,
};

export class FakeHubSpot extends FakeHttpServer {
  readonly calls: ApiCall[] = [];
  readonly contacts = new Map<string, StoredObject>();
  readonly deals = new Map<string, StoredObject>();
  readonly owners = new Map<string, Owner>();
  readonly pipelines: Array<typeof DEFAULT_PIPELINE> = [DEFAULT_PIPELINE];
  /** Milliseconds every answer waits. */
  delayMs = 0;
  private rateLimits: Array<{ remaining: number; retryAfterSeconds: number }> = [];
  private clock = Date.parse('2026-11-20T12:00:00Z');

  constructor() {
    super((req, res) => {
      void this.handle(req).then(({ status, body, headers }) => {
        res.writeHead(status, { 'content-type': 'application/json;charset=utf-8', ...headers });
        res.end(JSON.stringify(body));
      });
    });
  }

  reset(): void {
    this.calls.length = 0;
    this.contacts.clear();
    this.deals.clear();
    this.owners.clear();
    this.delayMs = 0;
    this.rateLimits = [];
  }

  /** The next `times` API calls answer 429 with this Retry-After. */
  rateLimit(times: number, retryAfterSeconds: number): void {
    this.rateLimits.push({ remaining: times, retryAfterSeconds });
  }

  /** Creates or changes a contact as a HubSpot user would; its modification time moves on. */
  setContact(id: string, properties: Record<string, string>): void {
    this.contacts.set(id, this.touch(this.contacts.get(id), properties));
  }

  setDeal(id: string, properties: Record<string, string>, contacts?: string[]): void {
    const deal = this.touch(this.deals.get(id), properties);
    if (contacts) deal.contacts = contacts;
    this.deals.set(id, deal);
  }

  callsTo(prefix: string): ApiCall[] {
    return this.calls.filter((c) => c.path.startsWith(prefix) && c.status === 200);
  }

  private touch(existing: StoredObject | undefined, properties: Record<string, string>): StoredObject {
    this.clock += 1_000;
    const now = new Date(this.clock).toISOString();
    return {
      ...existing,
      properties: { ...existing?.properties, ...properties },
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
    };
  }

  private async handle(
    req: IncomingMessage,
  ): Promise<{ status: number; body: unknown; headers?: Record<string, string> }> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const answer = (status: number, body: unknown, headers?: Record<string, string>) => {
      this.calls.push({ path: url.pathname, query: url.searchParams, status, at: Date.now() });
      return { status, body, headers };
    };
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    if (req.headers.authorization !== `Bearer ${HUBSPOT_TOKEN}`) {
      return answer(401, error('Authentication credentials not found.', 'INVALID_AUTHENTICATION'));
    }
    const limit = this.rateLimits.find((r) => r.remaining > 0);
    if (limit) {
      limit.remaining -= 1;
      return answer(
        429,
        {
          status: 'error',
          message: 'You have reached your ten_secondly_rolling limit.',
          errorType: 'RATE_LIMIT',
          correlationId: randomUUID(),
          policyName: 'TEN_SECONDLY_ROLLING',
          groupName: 'publicapi:private-app:1',
        },
        { 'retry-after': String(limit.retryAfterSeconds) },
      );
    }
    let match = url.pathname.match(/^\/crm\/v3\/objects\/(contacts|deals)\/(\w+)$/);
    if (req.method === 'GET' && match) {
      const [, type, id] = match as unknown as [string, 'contacts' | 'deals', string];
      const found = (type === 'contacts' ? this.contacts : this.deals).get(id);
      if (!found) return answer(404, error('resource not found', 'OBJECT_NOT_FOUND'));
      return answer(200, this.present(type, id, found, url.searchParams));
    }
    match = url.pathname.match(/^\/crm\/v3\/owners\/(\w+)$/);
    if (req.method === 'GET' && match) {
      const owner = this.owners.get(match[1] as string);
      if (!owner) return answer(404, error(`Owner ${match[1]} not found`, 'OBJECT_NOT_FOUND'));
      return answer(200, {
        ...owner,
        type: 'PERSON',
        createdAt: '2026-01-01T00:00:00Z',
        updatedAt: '2026-01-01T00:00:00Z',
        archived: false,
        teams: [],
      });
    }
    if (req.method === 'GET' && url.pathname === '/crm/v3/pipelines/deals') {
      return answer(200, { results: this.pipelines });
    }
    return answer(404, error(`No route for ${req.method} ${url.pathname}`, 'NOT_FOUND'));
  }

  /** Only the requested properties come back (null when unset), plus the defaults HubSpot always includes. */
  private present(type: 'contacts' | 'deals', id: string, object: StoredObject, query: URLSearchParams) {
    const requested = (query.get('properties') ?? '').split(',').filter(Boolean);
    const defaults: Record<string, string> =
      type === 'contacts'
        ? { createdate: object.createdAt, lastmodifieddate: object.updatedAt, hs_object_id: id }
        : { createdate: object.createdAt, hs_lastmodifieddate: object.updatedAt, hs_object_id: id };
    const properties: Record<string, string | null> = { ...defaults };
    for (const name of requested) properties[name] = object.properties[name] ?? null;
    const body: Record<string, unknown> = {
      id,
      properties,
      createdAt: object.createdAt,
      updatedAt: object.updatedAt,
      archived: false,
    };
    const associations = query.get('associations')?.split(',') ?? [];
    if (type === 'deals' && associations.includes('contacts') && object.contacts?.length) {
      body.associations = {
        contacts: { results: object.contacts.map((contactId) => ({ id: contactId, type: 'deal_to_contact' })) },
      };
    }
    return body;
  }
}

function error(message: string, category: string) {
  return { status: 'error', message, correlationId: randomUUID(), category };
}
