import { describe, expect, it } from 'vitest';
import { useTestApp } from '../../support/app-lifecycle.js';
import { DATABASE_KINDS } from '../../support/databases.js';
import type { RecordedCall } from '../../support/fake-slack.js';
import { CHANNELS } from '../../support/harness.js';
import { postWebhook, type WebhookOptions } from '../../support/webhooks.js';

type Block = { type: string; text?: { type: string; text: string }; fields?: Array<{ text: string }> };
const blocksOf = (call: RecordedCall) => call.args.blocks as Block[];
/** Every mrkdwn string a message carries: the ones Slack parses for mentions and links. */
const mrkdwnOf = (call: RecordedCall) => [
  String(call.args.text),
  ...blocksOf(call).flatMap((b) => [
    ...(b.text?.type === 'mrkdwn' ? [b.text.text] : []),
    ...(b.fields ?? []).map((f) => f.text),
    ...((b as { elements?: Array<{ text: string }> }).elements ?? []).map((e) => e.text),
  ]),
];

describe.each(DATABASE_KINDS)('campaign webhook on %s', (kind) => {
  let seq = 0;

  const t = useTestApp(kind, {
    async seed({ slack }) {
      slack.users.set('mia@example.com', 'UMKT0001');
    },
  });

  const event = (campaign: Record<string, unknown> = {}) => ({
    event_id: `evt-${kind}-${++seq}`,
    campaign: {
      id: 'CMP-42',
      name: 'Winter Pipeline Push',
      status: 'launched',
      starts_at: '2026-11-23T09:00:00Z',
      ends_at: '2026-12-15T17:00:00Z',
      audience: 'Ops leaders at 200–2000 person SaaS companies',
      goal: '40 sales-qualified leads',
      talking_points: 'Pipeline hygiene in 15 minutes\nFree CRM audit for attendees',
      offer: '20% off the first year',
      url: 'https://crm.example.com/campaigns/42',
      budget: 12000,
      owner: { email: 'mia@example.com' },
      ...campaign,
    },
  });
  const send = (body: unknown, options?: WebhookOptions) => postWebhook(t.app.url, '/webhooks/campaign', body, options);
  const db = () => t.app.tandem.deps.db;
  const campaigns = () => db().selectFrom('campaigns').selectAll().execute();
  const outboxRows = () => db().selectFrom('outbox').selectAll().execute();
  const salesPosts = () =>
    t.slack.okCallsOf('chat.postMessage').filter((c) => c.args.channel === CHANNELS.SALES_CHANNEL && !c.args.thread_ts);
  const announcement = () => t.slack.waitFor(() => salesPosts()[0], 5_000, 'the announcement');
  const threadReply = (ts: string | undefined) =>
    t.slack.waitFor(
      () => t.slack.okCallsOf('chat.postMessage').find((c) => c.args.thread_ts === ts),
      5_000,
      'a thread reply',
    );

  it('announces a launched campaign in the sales channel with its owner mentioned', async () => {
    const res = await send(event());
    expect(res).toEqual({ status: 202, body: { ok: true, id: expect.stringMatching(/^evt-/) } });

    const [row] = await campaigns();
    expect(row).toMatchObject({
      crm_id: 'CMP-42',
      name: 'Winter Pipeline Push',
      status: 'launched',
      audience: 'Ops leaders at 200–2000 person SaaS companies',
      offer: '20% off the first year',
      url: 'https://crm.example.com/campaigns/42',
      owner_email: 'mia@example.com',
      owner_slack_user_id: 'UMKT0001',
      placeholder: false,
    });
    expect(Number(row?.budget)).toBe(12000);
    expect(row?.starts_at?.toISOString()).toBe('2026-11-23T09:00:00.000Z');
    expect(row?.announcement_outbox_id).toBeTruthy();

    const post = await announcement();
    const blocks = blocksOf(post);
    expect(blocks[0]).toMatchObject({ type: 'header', text: { type: 'plain_text' } });
    expect(blocks[0]?.text?.text).toContain('Winter Pipeline Push');
    const all = mrkdwnOf(post).join('\n');
    expect(all).toContain('Nov 23 – Dec 15, 2026');
    expect(all).toContain('Ops leaders');
    expect(all).toContain('40 sales-qualified leads');
    expect(all).toContain('Free CRM audit for attendees');
    expect(all).toContain('20% off the first year');
    expect(all).toContain('<https://crm.example.com/campaigns/42|');
    expect(all).toContain('<@UMKT0001>');
    expect(String(post.args.text)).toContain('Winter Pipeline Push');
  });

  it('mentions an owner given by Slack id without looking anyone up', async () => {
    await send(event({ owner: { slack_user_id: 'UMKT0002' } }));
    const post = await announcement();
    expect(mrkdwnOf(post).join('\n')).toContain('<@UMKT0002>');
    expect(t.slack.callsOf('users.lookupByEmail')).toHaveLength(0);
  });

  it('shows the email of an owner Slack does not know', async () => {
    await send(event({ owner: { email: 'nobody@example.com' } }));
    const all = mrkdwnOf(await announcement()).join('\n');
    expect(all).toContain('nobody@example.com');
    expect(all).not.toContain('<@');
  });

  it('edits the announcement in place and says what changed in its thread', async () => {
    await send(event());
    const post = await announcement();
    const res = await send(
      event({ status: 'updated', offer: '30% off the first year', ends_at: '2026-12-31T17:00:00Z' }),
    );
    expect(res.status).toBe(202);

    const update = await t.slack.waitFor(() => t.slack.okCallsOf('chat.update')[0], 5_000, 'chat.update');
    expect(update.args.ts).toBe(post.ts);
    expect(update.args.channel).toBe(CHANNELS.SALES_CHANNEL);
    const updated = mrkdwnOf(update).join('\n');
    expect(updated).toContain('30% off the first year');
    expect(updated).toContain('Nov 23 – Dec 31, 2026');
    expect(updated).toContain('Free CRM audit'); // fields the event left out are kept

    const note = mrkdwnOf(await threadReply(post.ts)).join('\n');
    expect(note).toMatch(/updated/i);
    expect(note).toContain('offer');
    expect(note).toContain('Dec 31, 2026');
    expect(salesPosts()).toHaveLength(1);
    expect((await campaigns())[0]).toMatchObject({ status: 'updated', offer: '30% off the first year' });
  });

  it('treats a second launch as an update rather than announcing twice', async () => {
    await send(event());
    const post = await announcement();
    await send(event({ name: 'Winter Pipeline Push 2.0' }));
    const update = await t.slack.waitFor(() => t.slack.okCallsOf('chat.update')[0], 5_000, 'chat.update');
    expect(update.args.ts).toBe(post.ts);
    expect(mrkdwnOf(await threadReply(post.ts)).join('\n')).toContain('renamed from *Winter Pipeline Push*');
    expect(salesPosts()).toHaveLength(1);
  });

  it('announces an updated campaign that was never announced', async () => {
    await send(event({ status: 'updated' }));
    expect(blocksOf(await announcement())[0]?.text?.text).toContain('Winter Pipeline Push');
    expect(t.slack.callsOf('chat.update')).toHaveLength(0);
  });

  it('says in the thread that a campaign ended and marks the announcement', async () => {
    await send(event());
    const post = await announcement();
    await send(event({ status: 'ended' }));
    const note = mrkdwnOf(await threadReply(post.ts)).join('\n');
    expect(note).toContain('This campaign has ended');
    const update = await t.slack.waitFor(() => t.slack.okCallsOf('chat.update')[0], 5_000, 'chat.update');
    expect(update.args.ts).toBe(post.ts);
    expect(mrkdwnOf(update).join('\n')).toContain('has ended');
    expect((await campaigns())[0]?.status).toBe('ended');

    // The CRM resends `ended` as a new event: the announcement is refreshed, but goodbye is said once.
    await send(event({ status: 'ended' }));
    await t.slack.waitFor(() => t.slack.okCallsOf('chat.update')[1], 5_000, 'the second chat.update');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(t.slack.okCallsOf('chat.postMessage').filter((c) => c.args.thread_ts === post.ts)).toHaveLength(1);
  });

  it('only stores a campaign that ended without ever being announced', async () => {
    expect((await send(event({ status: 'ended' }))).status).toBe(202);
    expect((await campaigns())[0]).toMatchObject({ status: 'ended', announcement_outbox_id: null });
    expect(await outboxRows()).toHaveLength(0);
  });

  it('stores a planned campaign and posts nothing', async () => {
    expect((await send(event({ status: 'planned' }))).status).toBe(202);
    expect((await campaigns())[0]).toMatchObject({ status: 'planned', name: 'Winter Pipeline Push' });
    expect(await outboxRows()).toHaveLength(0);
  });

  it('answers a repeated event_id as a duplicate and posts nothing new', async () => {
    const body = event();
    expect((await send(body)).status).toBe(202);
    await announcement();
    expect(await send(body)).toEqual({ status: 200, body: { ok: true, duplicate: true } });
    expect(await outboxRows()).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(t.slack.callsOf('chat.postMessage')).toHaveLength(1);
    expect(t.slack.callsOf('chat.update')).toHaveLength(0);
  });

  it('fills in a placeholder campaign that a handoff created before the campaign arrived', async () => {
    const placeholder = await db()
      .insertInto('campaigns')
      .values({ crm_id: 'CMP-42', name: 'CMP-42', placeholder: true })
      .returningAll()
      .executeTakeFirstOrThrow();
    expect((await send(event())).status).toBe(202);
    const rows = await campaigns();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: placeholder.id, name: 'Winter Pipeline Push', placeholder: false });
    expect(rows[0]?.talking_points).toContain('Free CRM audit');
    await announcement();
  });

  it('escapes outside text so a campaign cannot ping the channel or inject a link', async () => {
    await send(
      event({
        name: '<!channel> Flash Sale',
        talking_points: 'Tell <@U999> & friends <https://evil.example|click here>',
        offer: '<!here> 50% off',
      }),
    );
    const post = await announcement();
    for (const text of mrkdwnOf(post)) {
      expect(text).not.toMatch(/<!channel>|<!here>|<@U999>|<https:\/\/evil/);
    }
    const all = mrkdwnOf(post).join('\n');
    expect(all).toContain('&lt;!channel&gt; Flash Sale');
    expect(all).toContain('Tell &lt;@U999&gt; &amp; friends &lt;https://evil.example|click here&gt;');
    expect(all).toContain('&lt;!here&gt; 50% off');
    // The header is plain_text, which Slack never parses for mentions.
    expect(blocksOf(post)[0]?.text).toMatchObject({ type: 'plain_text', text: expect.stringContaining('Flash Sale') });
  });

  it('rejects an unknown status and a javascript: link with the paths at fault, storing nothing', async () => {
    const res = await send(event({ status: 'paused', url: 'javascript:alert(1)' }));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ ok: false, error: 'invalid_payload' });
    const paths = (res.body.issues as Array<{ path: string }>).map((i) => i.path).sort();
    expect(paths).toEqual(['campaign.status', 'campaign.url']);
    expect(await campaigns()).toHaveLength(0);
  });

  it('refuses a bad signature, a stale timestamp and (by default) a bearer token', async () => {
    expect((await send(event(), { secret: 'not-the-webhook-secret-000' })).status).toBe(401);
    expect((await send(event(), { timestamp: Math.floor(Date.now() / 1000) - 400 })).status).toBe(401);
    expect((await send(event(), { auth: 'none' })).status).toBe(401);
    expect((await send(event(), { auth: 'bearer' })).status).toBe(401);
    expect(await campaigns()).toHaveLength(0);
    expect((await send(event())).status).toBe(202);
    expect(await campaigns()).toHaveLength(1);
  });
});
