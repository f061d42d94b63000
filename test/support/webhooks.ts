import { webhookSignature } from '../../src/http/webhook-auth.js';
import { WEBHOOK_SECRET } from './harness.js';

export interface WebhookOptions {
  /** How the sender authenticates: an HMAC signature (default), a bearer token, or not at all. */
  auth?: 'signature' | 'bearer' | 'none';
  secret?: string;
  /** Unix seconds to sign with (default now). */
  timestamp?: number;
  /** Send this raw body instead of JSON-encoding `body`. */
  raw?: string | Buffer;
}

/** A lead as a CRM sends it in a lead-handoff event: an id and a name, and whatever else the test needs. */
export interface HandoffLead {
  id: string;
  name: string;
  [field: string]: unknown;
}

export interface HandoffEventFields {
  /** Default `evt-<lead id>-<random>`: a new event each call. */
  event_id?: string;
  lead: HandoffLead;
  /** Default `{ slack_user_id: 'UOWNER001' }`. */
  owner?: Record<string, unknown>;
  [field: string]: unknown;
}

/**
 * The body of a lead-handoff webhook (`POST /webhooks/lead-handoff`), the one builder the tests and the benches
 * share: the fields as given (occurred_at, extra fields), in the order given, after the event id and before the owner.
 */
export function handoffEvent<Fields extends HandoffEventFields>(fields: Fields) {
  const { owner = { slack_user_id: 'UOWNER001' }, ...rest } = fields;
  return { event_id: `evt-${fields.lead.id}-${Math.random().toString(36).slice(2)}`, ...rest, owner };
}

/** The headers a sender following the README sends with `raw`: JSON, signed with `secret` at `timestamp` (now). */
export function signedHeaders(raw: string | Buffer, secret = WEBHOOK_SECRET, timestamp?: number) {
  const at = String(timestamp ?? Math.floor(Date.now() / 1000));
  return {
    'content-type': 'application/json',
    'x-tandem-timestamp': at,
    'x-tandem-signature': webhookSignature(secret, at, raw),
  };
}

/** POSTs a CRM event to the app the way a sender following the README would. */
export async function postWebhook(appUrl: string, path: string, body: unknown, options: WebhookOptions = {}) {
  const raw = options.raw ?? JSON.stringify(body);
  const secret = options.secret ?? WEBHOOK_SECRET;
  let headers: Record<string, string> = { 'content-type': 'application/json' };
  if ((options.auth ?? 'signature') === 'signature') {
    headers = signedHeaders(raw, secret, options.timestamp);
  } else if (options.auth === 'bearer') {
    headers.authorization = `Bearer ${secret}`;
  }
  const res = await fetch(`${appUrl}${path}`, { method: 'POST', headers, body: raw });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text);
  } catch {}
  return { status: res.status, body: json };
}
