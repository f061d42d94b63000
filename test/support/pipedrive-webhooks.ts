import { randomUUID } from 'node:crypto';

export const PD_USER = 'tandem-hook';
export const PD_PASSWORD = 'pd-hook-password-0001';

let counter = 0;

/** A webhooks v2 body as Pipedrive sends it: meta (action, entity, ids, attempt, timestamp…), data, previous. */
export function pipedriveBody(
  action: 'create' | 'change' | 'delete',
  entity: string,
  data: Record<string, unknown> | null,
  previous: Record<string, unknown> | null = null,
) {
  return {
    meta: {
      action,
      entity,
      entity_id: String(data?.id ?? ''),
      id: randomUUID(),
      company_id: '12882925',
      user_id: '18487521',
      correlation_id: randomUUID(),
      is_bulk_edit: false,
      type: 'general',
      timestamp: new Date(Date.parse('2026-11-20T12:00:00Z') + ++counter * 1000).toISOString(),
      attempt: 1,
      version: '2.0',
      host: 'acme.pipedrive.com',
      change_source: 'app',
      webhook_id: '99',
      webhook_owner_id: '18487521',
      permitted_user_ids: ['18487521'],
    },
    data,
    previous,
  };
}

/** POSTs a body to /connectors/pipedrive with the webhook's Basic auth (or the given credentials, or none). */
export async function postPipedrive(
  appUrl: string,
  body: unknown,
  credentials: { user: string; password: string } | null = { user: PD_USER, password: PD_PASSWORD },
  raw?: string,
) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (credentials) {
    headers.authorization = `Basic ${Buffer.from(`${credentials.user}:${credentials.password}`).toString('base64')}`;
  }
  const res = await fetch(`${appUrl}/connectors/pipedrive`, {
    method: 'POST',
    headers,
    body: raw ?? JSON.stringify(body),
  });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text);
  } catch {}
  return { status: res.status, body: json };
}
