import { createHmac } from 'node:crypto';

export const HUBSPOT_CLIENT_SECRET = 'hubspot-client-secret-0123';
/** What HubSpot calls: a proxy in front of the app, so the signed URL differs from the one the app listens on. */
export const PUBLIC_URL = 'https://tandem.example.com';
export const PORTAL_ID = 62515;

let eventCounter = 1000;

/** One webhook event as HubSpot batches it. */
export function hubspotEvent(
  subscriptionType: string,
  objectId: number,
  change: { propertyName?: string; propertyValue?: string; occurredAt?: number } = {},
) {
  return {
    eventId: ++eventCounter,
    subscriptionId: 4242,
    portalId: PORTAL_ID,
    appId: 54321,
    occurredAt: change.occurredAt ?? Date.now(),
    subscriptionType,
    attemptNumber: 0,
    objectId,
    changeSource: 'CRM',
    ...(change.propertyName ? { propertyName: change.propertyName, propertyValue: change.propertyValue ?? '' } : {}),
  };
}

export interface HubSpotPostOptions {
  secret?: string;
  /** Milliseconds to sign with (default now). */
  timestamp?: number;
  raw?: string;
  /** Sign as HubSpot does (v3), or not at all. */
  signature?: 'v3' | 'none';
}

/** POSTs a batch to /connectors/hubspot signed as HubSpot signs it (v3, over the public URL). */
export async function postHubSpot(appUrl: string, body: unknown, options: HubSpotPostOptions = {}) {
  const raw = options.raw ?? JSON.stringify(body);
  const path = '/connectors/hubspot';
  const timestamp = String(options.timestamp ?? Date.now());
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if ((options.signature ?? 'v3') === 'v3') {
    headers['x-hubspot-request-timestamp'] = timestamp;
    headers['x-hubspot-signature-v3'] = createHmac('sha256', options.secret ?? HUBSPOT_CLIENT_SECRET)
      .update(`POST${PUBLIC_URL}${path}${raw}${timestamp}`)
      .digest('base64');
  }
  const started = performance.now();
  const res = await fetch(`${appUrl}${path}`, { method: 'POST', headers, body: raw });
  const ms = performance.now() - started;
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text);
  } catch {}
  return { status: res.status, body: json, ms };
}
