import { describe, expect, it } from 'vitest';
import { useTestApp } from '../../support/app-lifecycle.js';
import { DATABASE_KINDS } from '../../support/databases.js';
import { postWebhook } from '../../support/webhooks.js';

describe.each(DATABASE_KINDS)('campaign events out of order on %s', (kind) => {
  let seq = 0;
  const t = useTestApp(kind);

  /** A campaign event for CMP-9, at `occurredAt` when given. */
  const send = (occurredAt: string | undefined, campaign: Record<string, unknown> = {}) =>
    postWebhook(t.app.url, '/webhooks/campaign', {
      event_id: `evt-${kind}-${++seq}`,
      ...(occurredAt ? { occurred_at: occurredAt } : {}),
      campaign: { id: 'CMP-9', name: 'Spring Launch', owner: { slack_user_id: 'UMKT0001' }, ...campaign },
    });
  const db = () => t.app.tandem.deps.db;
  const stored = () => db().selectFrom('campaigns').selectAll().executeTakeFirstOrThrow();
  const outboxCount = async () => (await db().selectFrom('outbox').select('id').execute()).length;

  it('records a late update older than the end, and changes and posts nothing', async () => {
    await send('2026-11-20T09:00:00Z', { status: 'launched', goal: '40 SQLs' });
    await send('2026-11-28T09:00:00Z', { status: 'ended' });
    const posts = await outboxCount();

    const late = await send('2026-11-22T09:00:00Z', { status: 'updated', goal: '60 SQLs', name: 'Spring Relaunch' });
    expect(late).toEqual({ status: 200, body: { ok: true, stale: true } });
    expect(await stored()).toMatchObject({ status: 'ended', goal: '40 SQLs', name: 'Spring Launch' });
    expect((await stored()).source_updated_at?.toISOString()).toBe('2026-11-28T09:00:00.000Z');
    expect(await outboxCount()).toBe(posts);
    const events = await db().selectFrom('webhook_events').select('event_id').execute();
    expect(events).toHaveLength(3);
  });

  it('keeps an ended campaign ended for a newer update or one without a status', async () => {
    await send('2026-11-20T09:00:00Z', { status: 'launched' });
    await send('2026-11-28T09:00:00Z', { status: 'ended' });
    expect((await send('2026-11-29T09:00:00Z', { status: 'updated', goal: '60 SQLs' })).status).toBe(202);
    expect(await stored()).toMatchObject({ status: 'ended', goal: '60 SQLs' });
    expect((await send(undefined, { audience: 'CFOs' })).status).toBe(202);
    expect((await stored()).status).toBe('ended');
  });

  it('reopens an ended campaign on an explicit launched newer than its end', async () => {
    await send('2026-11-20T09:00:00Z', { status: 'launched' });
    await send('2026-11-28T09:00:00Z', { status: 'ended' });
    expect((await send('2026-11-28T08:00:00Z', { status: 'launched' })).body).toEqual({ ok: true, stale: true });
    expect((await stored()).status).toBe('ended');
    expect((await send('2026-11-29T09:00:00Z', { status: 'launched' })).status).toBe(202);
    expect((await stored()).status).toBe('launched');
  });
});
