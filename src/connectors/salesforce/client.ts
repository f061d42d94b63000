import { z } from 'zod';
import type { SalesforceConfig } from '../../config.js';
import type { Metrics } from '../../metrics.js';
import { type CrmApiOptions, crmRequest, TimedCache } from '../api.js';

/** REST API version for the User read; any version since 2015 serves `sobjects/User/{id}?fields=`. */
export const SALESFORCE_API_VERSION = 'v62.0';

/** `POST /services/oauth2/token` (client credentials flow): `instance_url` is where the REST API lives. */
const tokenResponse = z.object({
  access_token: z.string().min(1),
  instance_url: z.url(),
  token_type: z.string().optional(),
  issued_at: z.string().optional(),
});

/** `GET /services/data/vXX.X/sobjects/User/{id}?fields=Email,Name`. */
const userRecord = z.object({
  Id: z.string().optional(),
  Email: z.string().nullable().optional(),
  Name: z.string().nullable().optional(),
});

/**
 * Reads owners' User records through an External Client App with the OAuth 2.0 client credentials flow. The
 * token is kept for 15 minutes, well inside any session timeout an org can set.
 */
export class SalesforceClient {
  private readonly cache = new TimedCache(60 * 60_000);
  private readonly api: CrmApiOptions;

  constructor(
    private readonly config: NonNullable<SalesforceConfig['api']>,
    metrics: Metrics,
  ) {
    this.api = { crm: 'salesforce', metrics, errorMessage };
  }

  /** A user's email and name; undefined when there is no such user. */
  async user(id: string): Promise<{ email?: string | undefined; name?: string | undefined } | undefined> {
    const token = await this.token();
    const path = `/services/data/${SALESFORCE_API_VERSION}/sobjects/User/${encodeURIComponent(id)}?fields=Email,Name`;
    const headers = { authorization: `Bearer ${token.access_token}`, accept: 'application/json' };
    const user = await crmRequest(
      this.api,
      'user',
      `${token.instance_url.replace(/\/+$/, '')}${path}`,
      { headers },
      userRecord,
    );
    return user ? { email: user.Email ?? undefined, name: user.Name ?? undefined } : undefined;
  }

  private token() {
    return this.cache.get(
      'token',
      async () => {
        const body = new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: this.config.clientId,
          client_secret: this.config.clientSecret,
        });
        const init = { method: 'POST', body, headers: { accept: 'application/json' } };
        const token = await crmRequest(
          this.api,
          'token',
          `${this.config.instanceUrl}/services/oauth2/token`,
          init,
          tokenResponse,
        );
        if (!token) throw new Error('Salesforce token endpoint not found: check SALESFORCE_INSTANCE_URL');
        return token;
      },
      15 * 60_000,
    );
  }
}

/** Salesforce errors: REST `[{ message, errorCode }]`, OAuth `{ error, error_description }`. */
function errorMessage(body: string): string {
  try {
    const parsed = JSON.parse(body) as unknown;
    const first = Array.isArray(parsed) ? parsed[0] : parsed;
    const { message, errorCode, error, error_description } = (first ?? {}) as Record<string, unknown>;
    if (typeof message === 'string') return `${errorCode ?? 'error'}: ${message}`.slice(0, 500);
    if (typeof error === 'string') return `${error}: ${error_description ?? ''}`.slice(0, 500);
  } catch {}
  return body.slice(0, 200) || '(no body)';
}
