import type { PipedriveConfig } from '../../config.js';
import type { Metrics } from '../../metrics.js';
import { type CrmApiOptions, crmRequest } from '../api.js';
import { pipedriveUser } from './schema.js';

/** Reads owners' emails: `GET /v1/users/{id}?api_token=` with the company's API token. */
export class PipedriveClient {
  private readonly api: CrmApiOptions;

  constructor(
    private readonly config: NonNullable<PipedriveConfig['api']>,
    metrics: Metrics,
  ) {
    this.api = { crm: 'pipedrive', metrics, errorMessage };
  }

  async user(id: string): Promise<{ email?: string | undefined; name?: string | undefined } | undefined> {
    const query = new URLSearchParams({ api_token: this.config.token });
    const url = `${this.config.url}/v1/users/${encodeURIComponent(id)}?${query}`;
    const found = await crmRequest(this.api, 'user', url, { headers: { accept: 'application/json' } }, pipedriveUser);
    return found ? { email: found.data.email ?? undefined, name: found.data.name ?? undefined } : undefined;
  }
}

/** Pipedrive errors: `{ success: false, error, error_info }`. */
function errorMessage(body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: unknown };
    if (typeof parsed.error === 'string') return parsed.error.slice(0, 500);
  } catch {}
  return body.slice(0, 200) || '(no body)';
}
