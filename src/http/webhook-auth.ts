import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export const MAX_SKEW_SECONDS = 300;

/** Compares two secrets in constant time (for every shared-secret check: webhooks and CRM connectors). */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  // timingSafeEqual needs equal lengths; comparing against itself keeps the time independent of the input.
  if (left.length !== right.length) {
    timingSafeEqual(right, right);
    return false;
  }
  return timingSafeEqual(left, right);
}

/** The signature a sender computes: `v0=` + hex HMAC-SHA256(secret, `v0:<timestamp>:<raw body>`), as Slack does. */
export function webhookSignature(secret: string, timestamp: string, rawBody: Buffer | string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:`).update(rawBody).digest('hex')}`;
}

/**
 * Accepts either `X-Tandem-Timestamp` + `X-Tandem-Signature` within five minutes of now, or
 * `Authorization: Bearer <secret>` for senders that cannot sign. Comparisons are constant-time.
 */
export function isAuthorisedWebhook(
  headers: IncomingHttpHeaders,
  rawBody: Buffer,
  secret: string,
  nowSeconds = Math.floor(Date.now() / 1000),
): boolean {
  const signature = headers['x-tandem-signature'];
  const timestamp = headers['x-tandem-timestamp'];
  if (typeof signature === 'string' && typeof timestamp === 'string') {
    if (!/^\d{1,12}$/.test(timestamp) || Math.abs(nowSeconds - Number(timestamp)) > MAX_SKEW_SECONDS) return false;
    return safeEqual(signature, webhookSignature(secret, timestamp, rawBody));
  }
  const authorization = headers.authorization;
  if (typeof authorization === 'string' && authorization.startsWith('Bearer ')) {
    return safeEqual(authorization.slice('Bearer '.length).trim(), secret);
  }
  return false;
}
