import { createHash, createHmac } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { safeEqual } from '../../http/webhook-auth.js';

/** HubSpot refuses to let a v3 signature live longer than this; so do we. */
export const MAX_TIMESTAMP_AGE_MS = 5 * 60_000;

/**
 * The escapes HubSpot's v3 instructions decode in the URI before hashing
 * (developers.hubspot.com/docs/api/webhooks/validating-requests, "Validate the v3 request signature").
 */
const DECODED: Record<string, string> = {
  '%3A': ':',
  '%2F': '/',
  '%3F': '?',
  '%40': '@',
  '%21': '!',
  '%24': '$',
  '%27': "'",
  '%28': '(',
  '%29': ')',
  '%2A': '*',
  '%2C': ',',
  '%3B': ';',
};

/** The URI HubSpot signed: the public base URL plus the path and query as called, with the listed escapes decoded. */
export function signedUri(publicUrl: string, pathAndQuery: string): string {
  const uri = `${publicUrl.replace(/\/+$/, '')}${pathAndQuery}`;
  return uri.replace(/%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi, (code) => DECODED[code.toUpperCase()] ?? code);
}

/** v3: base64 HMAC-SHA256(client secret, method + URI + body + timestamp). */
export function signatureV3(secret: string, method: string, uri: string, body: Buffer | string, timestamp: string) {
  return createHmac('sha256', secret).update(`${method}${uri}`).update(body).update(timestamp).digest('base64');
}

/** v1 (webhooks API): hex SHA-256 of client secret + body. */
export function signatureV1(secret: string, body: Buffer | string): string {
  return createHash('sha256').update(secret).update(body).digest('hex');
}

/** v2 (workflow "Send a webhook" actions, CRM cards): hex SHA-256 of client secret + method + URI + body. */
export function signatureV2(secret: string, method: string, uri: string, body: Buffer | string): string {
  return createHash('sha256').update(`${secret}${method}${uri}`).update(body).digest('hex');
}

export interface SignedRequest {
  method: string;
  /** The URI as HubSpot called it (see `signedUri`). */
  uri: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export type Verification = { ok: true; version: 'v1' | 'v2' | 'v3' } | { ok: false; reason: string };

/**
 * Checks a HubSpot request's signature: v3 when present (with its timestamp no older than five minutes), else the
 * v1/v2 signature HubSpot still sends alone from some sources. Comparisons are constant-time.
 */
export function verifyHubSpotRequest(req: SignedRequest, secret: string, nowMs = Date.now()): Verification {
  const v3 = header(req.headers, 'x-hubspot-signature-v3');
  if (v3 !== undefined) {
    const timestamp = header(req.headers, 'x-hubspot-request-timestamp');
    if (timestamp === undefined || !/^\d{1,15}$/.test(timestamp)) return { ok: false, reason: 'missing_timestamp' };
    const age = nowMs - Number(timestamp);
    // A little allowance for clocks ahead of ours; nothing older than five minutes.
    if (age > MAX_TIMESTAMP_AGE_MS || age < -MAX_TIMESTAMP_AGE_MS) return { ok: false, reason: 'stale_timestamp' };
    const expected = signatureV3(secret, req.method, req.uri, req.body, timestamp);
    return safeEqual(v3, expected) ? { ok: true, version: 'v3' } : { ok: false, reason: 'bad_signature' };
  }
  const signature = header(req.headers, 'x-hubspot-signature');
  const version = header(req.headers, 'x-hubspot-signature-version')?.toLowerCase() ?? 'v1';
  if (signature === undefined) return { ok: false, reason: 'missing_signature' };
  if (version === 'v1') {
    return safeEqual(signature.toLowerCase(), signatureV1(secret, req.body))
      ? { ok: true, version: 'v1' }
      : { ok: false, reason: 'bad_signature' };
  }
  if (version === 'v2') {
    return safeEqual(signature.toLowerCase(), signatureV2(secret, req.method, req.uri, req.body))
      ? { ok: true, version: 'v2' }
      : { ok: false, reason: 'bad_signature' };
  }
  return { ok: false, reason: 'unknown_signature_version' };
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return typeof value === 'string' ? value.trim() : undefined;
}
