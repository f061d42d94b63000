import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { ACTION, BLOCK, CAMPAIGN_VIEW } from '../../../src/features/campaigns/ids.js';
import { useTestApp } from '../../support/app-lifecycle.js';
import { DATABASE_KINDS } from '../../support/databases.js';
import { CHANNELS, SIGNING_SECRET } from '../../support/harness.js';
import { HttpSink } from '../../support/http-sink.js';
import { sendCommand, sendInteraction, viewSubmission } from '../../support/slack-requests.js';

type Block = { type: string; block_id?: string; optional?: boolean; element?: { type: string; action_id: string } };
type View = { callback_id: string; title: { text: string }; blocks: Block[]; private_metadata: string };
type Values = Record<string, Record<string, unknown>>;

const text = (value: string | null) => ({ type: 'plain_text_input', value });
const date = (value: string | null) => ({ type: 'datepicker', selected_date: value });

describe.each(DATABASE_KINDS)('/campaign on %s', (kind) => {
  const t = useTestApp(kind);

  const db = () => t.app.tandem.deps.db;
  const campaigns = () => db().selectFrom('campaigns').selectAll().execute();
  const outboxRows = () => db().selectFrom('outbox').selectAll().execute();

  const values = (overrides: Values = {}): Values => ({
    [BLOCK.name]: { [ACTION.name]: text('  Spring Security Webinar  ') },
    [BLOCK.startsOn]: { [ACTION.startsOn]: date('2027-03-02') },
    [BLOCK.endsOn]: { [ACTION.endsOn]: date('2027-03-20') },
    [BLOCK.audience]: { [ACTION.audience]: text('CISOs at mid-market fintechs') },
    [BLOCK.goal]: { [ACTION.goal]: text(null) },
    [BLOCK.talkingPoints]: { [ACTION.talkingPoints]: text('SOC 2 in weeks, not months') },
    [BLOCK.offer]: { [ACTION.offer]: text('Free readiness assessment') },
    [BLOCK.url]: { [ACTION.url]: { type: 'url_text_input', value: 'https://example.com/spring' } },
    ...overrides,
  });
  const submit = (v: Values, options: { viewId?: string; metadata?: string } = {}) => {
    const payload = viewSubmission({
      callbackId: CAMPAIGN_VIEW,
      values: v,
      userId: 'UMKT0009',
      privateMetadata: options.metadata,
    });
    if (options.viewId) payload.view.id = options.viewId;
    return sendInteraction(t.app.url, SIGNING_SECRET, payload);
  };

  it('opens the announce modal with the trigger_id right after acking', async () => {
    const triggerId = `trigger-${Math.random()}`;
    const res = await sendCommand(t.app.url, SIGNING_SECRET, { command: '/campaign', trigger_id: triggerId });
    expect(res.status).toBe(200);
    const call = await t.slack.waitFor(() => t.slack.callsOf('views.open')[0], 3_000, 'views.open');
    expect(call.args.trigger_id).toBe(triggerId);
    const view = call.args.view as View;
    expect(view.callback_id).toBe(CAMPAIGN_VIEW);
    const inputs = new Map(view.blocks.filter((b) => b.type === 'input').map((b) => [b.block_id, b]));
    expect(inputs.get(BLOCK.name)?.optional).toBe(false);
    expect(inputs.get(BLOCK.startsOn)?.element?.type).toBe('datepicker');
    expect(inputs.get(BLOCK.endsOn)?.element?.type).toBe('datepicker');
    expect(inputs.get(BLOCK.url)?.element?.type).toBe('url_text_input');
    expect(inputs.get(BLOCK.talkingPoints)?.optional).toBe(true);
    expect([...inputs.keys()].sort()).toEqual(Object.values(BLOCK).sort());
  });

  it('announces a submitted campaign with the submitter as its owner, and confirms', async () => {
    const metadata = JSON.stringify({ responseUrl: t.slack.responseUrl('cmd') });
    const res = await submit(values(), { metadata });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(''); // an empty ack closes the modal

    const [row] = await campaigns();
    expect(row).toMatchObject({
      name: 'Spring Security Webinar',
      status: 'launched',
      owner_slack_user_id: 'UMKT0009',
      audience: 'CISOs at mid-market fintechs',
      goal: null,
      url: 'https://example.com/spring',
    });
    expect(row?.crm_id).toMatch(/^slack-[0-9a-f-]{36}$/);
    expect(row?.starts_at?.toISOString()).toBe('2027-03-02T00:00:00.000Z');
    const events = await db().selectFrom('webhook_events').selectAll().execute();
    expect(events.map((e) => e.event_id)).toEqual(['slack:V0MODAL1']);

    const post = await t.slack.waitFor(
      () => t.slack.okCallsOf('chat.postMessage').find((c) => c.args.channel === CHANNELS.SALES_CHANNEL),
      5_000,
      'the announcement',
    );
    const payload = JSON.stringify(post.args.blocks);
    expect(payload).toContain('Spring Security Webinar');
    expect(payload).toContain('<@UMKT0009>');
    expect(payload).toContain('SOC 2 in weeks, not months');
    expect(payload).toContain('Mar 2 – Mar 20, 2027');

    const confirmation = await t.slack.waitFor(
      () => t.slack.responses.find((r) => r.id === 'cmd'),
      3_000,
      'confirmation',
    );
    expect(confirmation.body).toMatchObject({ response_type: 'ephemeral' });
    expect(String(confirmation.body.text)).toContain('Spring Security Webinar');
  });

  it('ignores a response_url in the metadata that is not Slack’s, logs it and confirms by DM instead', async () => {
    const elsewhere = await new HttpSink().start();
    try {
      const metadata = JSON.stringify({ responseUrl: elsewhere.url('/collect') });
      expect((await submit(values(), { metadata })).status).toBe(200);
      const dm = await t.slack.waitFor(
        () => t.slack.okCallsOf('chat.postMessage').find((c) => c.args.channel === 'UMKT0009'),
        5_000,
        'the confirmation by DM',
      );
      expect(String(dm.args.text)).toContain('Spring Security Webinar');
      expect(elsewhere.hits).toEqual([]);
      expect(t.app.rawLogs.join('\n')).toContain('ignored a response_url that is not Slack');
    } finally {
      await elsewhere.stop();
    }
  });

  it('announces a double-submitted modal once', async () => {
    const answers = await Promise.all([submit(values()), submit(values())]);
    expect(answers.map((r) => r.status)).toEqual([200, 200]);
    expect(await campaigns()).toHaveLength(1);
    expect(await outboxRows()).toHaveLength(1);
    // Another modal is another campaign.
    await submit(values(), { viewId: 'V0MODAL2' });
    expect(await campaigns()).toHaveLength(2);
  });

  it('refuses a submission without a name, under the name field, storing nothing', async () => {
    const res = await submit(values({ [BLOCK.name]: { [ACTION.name]: text('   ') } }));
    expect(await res.json()).toEqual({
      response_action: 'errors',
      errors: { [BLOCK.name]: 'Give the campaign a name.' },
    });
    const missing = await submit(values({ [BLOCK.name]: {} }));
    expect(await missing.json()).toMatchObject({ errors: { [BLOCK.name]: 'Give the campaign a name.' } });
    expect(await campaigns()).toHaveLength(0);
    expect(await outboxRows()).toHaveLength(0);
  });

  it('refuses an end date before the start date and a non-http link, storing nothing', async () => {
    const res = await submit(
      values({
        [BLOCK.endsOn]: { [ACTION.endsOn]: date('2027-03-01') },
        [BLOCK.url]: { [ACTION.url]: { type: 'url_text_input', value: 'javascript:alert(1)' } },
      }),
    );
    const body = (await res.json()) as { response_action: string; errors: Record<string, string> };
    expect(body.response_action).toBe('errors');
    expect(Object.keys(body.errors).sort()).toEqual([BLOCK.endsOn, BLOCK.url].sort());
    expect(body.errors[BLOCK.endsOn]).toMatch(/before the start date/);
    expect(await campaigns()).toHaveLength(0);
  });

  it('keeps the modal open with an error when the database cannot save it', async () => {
    await sql`alter table campaigns rename to campaigns_away`.execute(db());
    const res = await submit(values());
    const body = (await res.json()) as { response_action: string; errors: Record<string, string> };
    expect(body.response_action).toBe('errors');
    expect(body.errors[BLOCK.name]).toMatch(/could not save/);
    await sql`alter table campaigns_away rename to campaigns`.execute(db());
    expect(await campaigns()).toHaveLength(0);
    expect(await db().selectFrom('webhook_events').selectAll().execute()).toHaveLength(0);
  });
});
