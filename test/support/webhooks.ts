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

/** POSTs a CRM event to the app the way a sender following the README would. */
export async function postWebhook(appUrl: string, path: string, body: unknown, options: WebhookOptions = {}) {
  const raw = options.raw ?? JSON.stringify(body);
  const secret = options.secret ?? WEBHOOK_SECRET;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if ((options.auth ?? 'signature') === 'signature') {
    const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
    headers['x-tandem-timestamp'] = timestamp;
    headers['x-tandem-signature'] = webhookSignature(secret, timestamp, raw);
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
