import { safeEqual } from '../../http/webhook-auth.js';

/**
 * Outbound Messages are not signed. Salesforce's own security guidance is TLS, a check of OrganizationId, and an
 * IP allowlist or its client certificate; the secret in the endpoint URL is the practical addition. Both checks
 * here are pure.
 */
export function tokenMatches(presented: string | null, expected: string): boolean {
  return presented !== null && safeEqual(presented, expected);
}

/**
 * Whether a message comes from the configured org. Ids have a 15-character case-sensitive form and an 18-character
 * form (the 15 plus a case checksum): the first 15 characters identify the org either way.
 */
export function sameOrg(sent: string, configured: string): boolean {
  return sent.length >= 15 && sent.slice(0, 15) === configured.slice(0, 15);
}
