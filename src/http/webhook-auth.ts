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

/** Whether `presented` is one of `secrets`; every one is compared, in constant time, whatever matches first. */
function matchesAny(secrets: readonly string[], expected: (secret: string) => string, presented: string): boolean {
  let matched = false;
  for (const secret of secrets) matched = safeEqual(presented, expected(secret)) || matched;
  return matched;
}

export interface WebhookAuth {
  /** One secret, or two while one is rotated out: either authenticates. */
  secrets: readonly string[];
  /**
   * Accept `Authorization: Bearer <secret>`. Off unless asked for: a bearer token carries no timestamp and does not
   * cover the body, so one that leaks (a proxy log, a browser history) forges any event for as long as it is valid.
   */
  allowBearer: boolean;
}

/**
 * Accepts `X-Tandem-Timestamp` + `X-Tandem-Signature` within five minutes of now, signed with any of the secrets,
 * or, when allowed, `Authorization: Bearer <secret>` for senders that cannot sign. Comparisons are constant-time.
 */
export function isAuthorisedWebhook(
  headers: IncomingHttpHeaders,
  rawBody: Buffer,
  { secrets, allowBearer }: WebhookAuth,
  nowSeconds = Math.floor(Date.now() / 1000),
): boolean {
  const signature = headers['x-tandem-signature'];
  const timestamp = headers['x-tandem-timestamp'];
  if (typeof signature === 'string' && typeof timestamp === 'string') {
    if (!/^\d{1,12}$/.test(timestamp) || Math.abs(nowSeconds - Number(timestamp)) > MAX_SKEW_SECONDS) return false;
    return matchesAny(secrets, (secret) => webhookSignature(secret, timestamp, rawBody), signature);
  }
  return allowBearer && isBearer(headers, secrets);
}

/** `Authorization: Bearer <one of tokens>`, compared in constant time. */
export function isBearer(headers: IncomingHttpHeaders, tokens: readonly string[]): boolean {
  const authorization = headers.authorization;
  if (typeof authorization !== 'string' || !authorization.startsWith('Bearer ')) return false;
  return matchesAny(tokens, (token) => token, authorization.slice('Bearer '.length).trim());
}
