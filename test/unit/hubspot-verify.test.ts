import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signatureV1, signatureV2, signedUri, verifyHubSpotRequest } from '../../src/connectors/hubspot/verify.js';

const SECRET = 'yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy';
const NOW = 1_764_000_000_000;

describe('HubSpot request signatures', () => {
  it('matches the v1 example in HubSpot’s docs', () => {
    const body =
      '[{"eventId":1,"subscriptionId":12345,"portalId":62515,"occurredAt":1564113600000,"subscriptionType":"contact.creation","attemptNumber":0,"objectId":123,"changeSource":"CRM","changeFlag":"NEW","appId":54321}]';
    expect(signatureV1(SECRET, body)).toBe('232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de');
  });

  it('matches the v2 GET example in HubSpot’s docs', () => {
    expect(signatureV2(SECRET, 'GET', 'https://www.example.com/webhook_uri', '')).toBe(
      'eee2dddcc73c94d699f5e395f4b9d454a069a6855fbfa152e91e88823087200e',
    );
  });

  it('rebuilds the URI from the public URL and decodes the escapes HubSpot lists', () => {
    expect(signedUri('https://tandem.example.com/', '/connectors/hubspot?a=%3A%2F%40%21&b=%20')).toBe(
      'https://tandem.example.com/connectors/hubspot?a=:/@!&b=%20',
    );
  });

  const body = Buffer.from('[{"eventId":1}]');
  const uri = 'https://tandem.example.com/connectors/hubspot';
  const v3 = (timestamp: number, secret = SECRET, signedBody: Buffer = body) =>
    createHmac('sha256', secret).update(`POST${uri}`).update(signedBody).update(String(timestamp)).digest('base64');
  const request = (headers: Record<string, string>) => ({ method: 'POST', uri, headers, body });

  it('accepts a fresh v3 signature and refuses a wrong, stale or tampered one', () => {
    const ts = NOW - 60_000;
    const ok = request({ 'x-hubspot-signature-v3': v3(ts), 'x-hubspot-request-timestamp': String(ts) });
    expect(verifyHubSpotRequest(ok, SECRET, NOW)).toEqual({ ok: true, version: 'v3' });

    const old = NOW - 5 * 60_000 - 1;
    const stale = request({ 'x-hubspot-signature-v3': v3(old), 'x-hubspot-request-timestamp': String(old) });
    expect(verifyHubSpotRequest(stale, SECRET, NOW)).toEqual({ ok: false, reason: 'stale_timestamp' });

    const wrong = request({ 'x-hubspot-signature-v3': v3(ts, 'other'), 'x-hubspot-request-timestamp': String(ts) });
    expect(verifyHubSpotRequest(wrong, SECRET, NOW)).toEqual({ ok: false, reason: 'bad_signature' });

    const tampered = {
      ...ok,
      body: Buffer.from('[{"eventId":2}]'),
    };
    expect(verifyHubSpotRequest(tampered, SECRET, NOW).ok).toBe(false);
    // The timestamp is part of what is signed: moving it breaks the signature.
    const moved = request({ 'x-hubspot-signature-v3': v3(ts), 'x-hubspot-request-timestamp': String(ts + 1) });
    expect(verifyHubSpotRequest(moved, SECRET, NOW).ok).toBe(false);
  });

  it('falls back to v1 and v2 only when no v3 signature is sent', () => {
    const v1 = request({ 'x-hubspot-signature': signatureV1(SECRET, body), 'x-hubspot-signature-version': 'v1' });
    expect(verifyHubSpotRequest(v1, SECRET, NOW)).toEqual({ ok: true, version: 'v1' });
    const v2 = request({
      'x-hubspot-signature': signatureV2(SECRET, 'POST', uri, body),
      'x-hubspot-signature-version': 'v2',
    });
    expect(verifyHubSpotRequest(v2, SECRET, NOW)).toEqual({ ok: true, version: 'v2' });
    const v2AsV1 = request({
      'x-hubspot-signature': signatureV2(SECRET, 'POST', uri, body),
      'x-hubspot-signature-version': 'v1',
    });
    expect(verifyHubSpotRequest(v2AsV1, SECRET, NOW).ok).toBe(false);
    // A valid v1 does not rescue a bad v3: the newest signature sent is the one checked.
    const both = request({
      'x-hubspot-signature': signatureV1(SECRET, body),
      'x-hubspot-signature-v3': 'bm9wZQ==',
      'x-hubspot-request-timestamp': String(NOW),
    });
    expect(verifyHubSpotRequest(both, SECRET, NOW).ok).toBe(false);
    expect(verifyHubSpotRequest(request({}), SECRET, NOW)).toEqual({ ok: false, reason: 'missing_signature' });
  });
});
