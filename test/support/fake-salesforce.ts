import type { IncomingMessage } from 'node:http';
import { FakeHttpServer } from './fake-server.js';

export const SF_CLIENT_ID = '3MVG9test-consumer-key';
export const SF_CLIENT_SECRET = 'sf-consumer-secret-0001';
const ACCESS_TOKEN = '00D000000000001!AQ4AQFakeAccessToken';

export interface SalesforceUser {
  Id: string;
  Email: string | null;
  Name: string;
}

/**
 * A Salesforce org's REST side for tests, in Salesforce's documented shapes: the OAuth 2.0 client credentials
 * flow (`POST /services/oauth2/token`, form-encoded, answering `{ access_token, instance_url, token_type,
 * issued_at, signature }` or `{ error, error_description }`), and `GET /services/data/vXX.X/sobjects/User/{id}
 * ?fields=Email,Name` answering the requested fields plus `attributes`, 404 as `[{ errorCode: 'NOT_FOUND' }]`,
 * 401 `INVALID_SESSION_ID` for a bad token. `failUsers` makes the next reads answer 503.
 */
export class FakeSalesforce extends FakeHttpServer {
  readonly users = new Map<string, SalesforceUser>();
  readonly calls: Array<{ method: string; path: string; status: number }> = [];
  private failing = 0;

  constructor() {
    super((req, res) => {
      void this.handle(req).then(({ status, body }) => {
        this.calls.push({ method: req.method ?? '', path: new URL(req.url ?? '/', 'http://x').pathname, status });
        res.writeHead(status, { 'content-type': 'application/json;charset=UTF-8' });
        res.end(JSON.stringify(body));
      });
    });
  }

  reset(): void {
    this.users.clear();
    this.calls.length = 0;
    this.failing = 0;
  }

  failUsers(times: number): void {
    this.failing = times;
  }

  private async handle(req: IncomingMessage): Promise<{ status: number; body: unknown }> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    if (req.method === 'POST' && url.pathname === '/services/oauth2/token') {
      const form = new URLSearchParams(raw);
      if (form.get('grant_type') !== 'client_credentials') {
        return {
          status: 400,
          body: { error: 'unsupported_grant_type', error_description: 'grant type not supported' },
        };
      }
      if (form.get('client_id') !== SF_CLIENT_ID || form.get('client_secret') !== SF_CLIENT_SECRET) {
        return { status: 400, body: { error: 'invalid_client', error_description: 'invalid client credentials' } };
      }
      return {
        status: 200,
        body: {
          access_token: ACCESS_TOKEN,
          signature: 'c2lnbmF0dXJl',
          scope: 'api',
          instance_url: this.url,
          id: `${this.url}/id/00D000000000001EAA/005000000000009AAA`,
          token_type: 'Bearer',
          issued_at: String(Date.now()),
        },
      };
    }
    const user = /^\/services\/data\/v\d+\.\d+\/sobjects\/User\/([A-Za-z0-9]+)$/.exec(url.pathname);
    if (req.method === 'GET' && user) {
      if (req.headers.authorization !== `Bearer ${ACCESS_TOKEN}`) {
        return { status: 401, body: [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }] };
      }
      if (this.failing > 0) {
        this.failing -= 1;
        return { status: 503, body: [{ message: 'Server unavailable', errorCode: 'SERVER_UNAVAILABLE' }] };
      }
      const found = this.users.get(user[1] as string);
      if (!found) {
        return { status: 404, body: [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }] };
      }
      const fields = (url.searchParams.get('fields') ?? '').split(',').filter(Boolean);
      const body: Record<string, unknown> = { attributes: { type: 'User', url: url.pathname } };
      for (const f of fields) body[f] = found[f as keyof SalesforceUser] ?? null;
      return { status: 200, body };
    }
    return { status: 404, body: [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }] };
  }
}
