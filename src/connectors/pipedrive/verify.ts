import { safeEqual } from '../../http/webhook-auth.js';

/**
 * Pipedrive's webhooks are not signed; what its webhook settings offer is HTTP Basic auth (a user and password
 * set when the webhook is created) over HTTPS. Pure; both parts compared in constant time.
 */
export function basicAuthMatches(header: string | undefined, user: string, password: string): boolean {
  const match = /^Basic ([A-Za-z0-9+/=]+)$/i.exec(header?.trim() ?? '');
  if (!match) return false;
  const decoded = Buffer.from(match[1] as string, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return false;
  const userOk = safeEqual(decoded.slice(0, colon), user);
  const passwordOk = safeEqual(decoded.slice(colon + 1), password);
  return userOk && passwordOk;
}
