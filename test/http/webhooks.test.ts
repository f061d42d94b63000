import fc from 'fast-check';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { webhookSignature } from '../../src/http/webhook-auth.js';
import { useTestApp } from '../support/app-lifecycle.js';
import { createTestDatabase, DATABASE_KINDS } from '../support/databases.js';
import { FakeSlack } from '../support/fake-slack.js';
import { startTestApp, WEBHOOK_SECRET } from '../support/harness.js';
import { handoffEvent, postWebhook } from '../support/webhooks.js';

const PATHS = ['/webhooks/lead-handoff', '/webhooks/campaign', '/webhooks/deal-closed'];

const validHandoff = () => handoffEvent({ lead: { id: 'L-1', name: 'Ari' }, owner: { slack_user_id: 'U0OWNER01' } });

describe('webhook requests', () => {
  const t = useTestApp('pglite', { scope: 'file' });

  /** Rows in every table a webhook writes to: a refused request must leave all of them as they were. */
  const storedRows = async () => {
    const { rows } = await sql<{ total: number }>`
      select (select count(*) from webhook_events) + (select count(*) from leads) + (select count(*) from handoffs)
        + (select count(*) from campaigns) + (select count(*) from deals) + (select count(*) from outbox) as total
    `.execute(t.app.tandem.deps.db);
    return Number(rows[0]?.total);
  };

  it('accepts an HMAC signature', async () => {
    expect((await postWebhook(t.app.url, PATHS[0] as string, validHandoff())).status).toBe(202);
  });

  it.each([
    ['no credentials', { auth: 'none' as const }],
    ['a wrong signature secret', { secret: 'wrong-secret-wrong-secret' }],
    ['a wrong bearer secret', { auth: 'bearer' as const, secret: 'wrong-secret-wrong-secret' }],
    // Unless WEBHOOK_ALLOW_BEARER=true: a bearer token has no timestamp and does not cover the body.
    ['the right bearer secret', { auth: 'bearer' as const }],
    ['a timestamp six minutes old', { timestamp: Math.floor(Date.now() / 1000) - 360 }],
    ['a timestamp six minutes ahead', { timestamp: Math.floor(Date.now() / 1000) + 360 }],
  ])('refuses %s with 401 and stores nothing', async (_, options) => {
    const before = await storedRows();
    for (const path of PATHS) {
      const res = await postWebhook(t.app.url, path, validHandoff(), options);
      expect(res).toEqual({ status: 401, body: { ok: false, error: 'unauthorized' } });
    }
    expect(await storedRows()).toBe(before);
  });

  it('refuses a tampered body whose signature was made for another', async () => {
    const original = JSON.stringify(validHandoff());
    const timestamp = String(Math.floor(Date.now() / 1000));
    const res = await fetch(`${t.app.url}/webhooks/lead-handoff`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-tandem-timestamp': timestamp,
        'x-tandem-signature': webhookSignature(WEBHOOK_SECRET, timestamp, original),
      },
      body: original.replace('Ari', 'Eve'),
    });
    expect(res.status).toBe(401);
  });

  it('answers malformed JSON with 400', async () => {
    const res = await postWebhook(t.app.url, PATHS[0] as string, null, { raw: '{"event_id": "x", ' });
    expect(res).toEqual({ status: 400, body: { ok: false, error: 'invalid_json' } });
  });

  it('names every invalid field by its path', async () => {
    const res = await postWebhook(t.app.url, PATHS[0] as string, {
      event_id: 'e-bad',
      lead: { id: 'L-1', score: 150, url: 'javascript:alert(1)' },
      owner: {},
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_payload');
    const paths = (res.body.issues as Array<{ path: string; message: string }>).map((i) => i.path).sort();
    expect(paths).toEqual(['lead.name', 'lead.score', 'lead.url', 'owner']);
    expect(
      await t.app.tandem.deps.db.selectFrom('webhook_events').where('event_id', '=', 'e-bad').execute(),
    ).toHaveLength(0);
  });

  it('refuses a body over 1 MiB with 413', async () => {
    const huge = JSON.stringify({ ...validHandoff(), padding: 'x'.repeat(1024 * 1024) });
    const res = await postWebhook(t.app.url, PATHS[0] as string, null, { raw: huge });
    expect(res).toEqual({ status: 413, body: { ok: false, error: 'payload_too_large' } });
  });

  it.each(PATHS)('never answers a generated body to %s with a 5xx, and stores nothing it refused', async (path) => {
    const body = fc.oneof(
      fc.anything(),
      fc.json().map((j) => JSON.parse(j)),
      fc.record(
        {
          event_id: fc.oneof(fc.string(), fc.integer(), fc.constant('')),
          occurred_at: fc.oneof(
            fc.string(),
            fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
          ),
          lead: fc.record(
            { id: fc.string(), name: fc.string(), score: fc.oneof(fc.integer(), fc.double()), email: fc.string() },
            { requiredKeys: [] },
          ),
          campaign: fc.record(
            { id: fc.string(), name: fc.string(), status: fc.string(), budget: fc.double() },
            { requiredKeys: [] },
          ),
          deal: fc.record(
            {
              id: fc.string(),
              name: fc.string(),
              amount: fc.double(),
              currency: fc.string({ maxLength: 4 }),
              stage: fc.string(),
            },
            { requiredKeys: [] },
          ),
          owner: fc.record({ email: fc.string(), slack_user_id: fc.string() }, { requiredKeys: [] }),
        },
        { requiredKeys: [] },
      ),
    );
    await fc.assert(
      fc.asyncProperty(body, async (payload) => {
        const before = await storedRows();
        const res = await postWebhook(t.app.url, path, null, { raw: JSON.stringify(payload) ?? 'undefined' });
        expect(res.status).toBeLessThan(500);
        expect([200, 202, 400]).toContain(res.status);
        if (res.status === 400) expect(await storedRows()).toBe(before);
      }),
      { numRuns: 1_000 },
    );
  });
});

describe.each(DATABASE_KINDS)('webhook secrets on %s', (kind) => {
  const OLD = 'old-webhook-secret-0123456789';
  const NEW = 'new-webhook-secret-9876543210';
  const t = useTestApp(kind, { env: { WEBHOOK_SECRET: `${NEW},${OLD}`, WEBHOOK_ALLOW_BEARER: 'true' } });
  const send = (options: Parameters<typeof postWebhook>[3]) =>
    postWebhook(t.app.url, '/webhooks/lead-handoff', validHandoff(), options);

  it('accepts either of two secrets while one is rotated out, signed or (when allowed) as a bearer token', async () => {
    expect((await send({ secret: OLD })).status).toBe(202);
    expect((await send({ secret: NEW })).status).toBe(202);
    expect((await send({ secret: NEW, auth: 'bearer' })).status).toBe(202);
    expect((await send({ secret: OLD, auth: 'bearer' })).status).toBe(202);
    expect((await send({ secret: WEBHOOK_SECRET })).status).toBe(401);
    expect((await send({ secret: `${NEW},${OLD}`, auth: 'bearer' })).status).toBe(401);
    const handoffs = await t.app.tandem.deps.db.selectFrom('handoffs').select('id').execute();
    expect(handoffs).toHaveLength(4);
  });
});

describe('webhooks without WEBHOOK_SECRET', () => {
  it('answer 503 and say why in the log', async () => {
    const slack = await new FakeSlack().start();
    const database = await createTestDatabase('pglite');
    const app = await startTestApp(slack, database, { WEBHOOK_SECRET: undefined });
    try {
      const res = await postWebhook(app.url, '/webhooks/lead-handoff', validHandoff(), { secret: WEBHOOK_SECRET });
      expect(res).toEqual({ status: 503, body: { ok: false, error: 'webhooks_not_configured' } });
      expect(app.rawLogs.join('\n')).toContain('WEBHOOK_SECRET is not set');
    } finally {
      await app.stop();
      await database.drop();
      await slack.stop();
    }
  });
});
