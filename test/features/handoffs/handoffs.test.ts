import { describe, expect, it } from 'vitest';
import { ACTION, BLOCK } from '../../../src/features/feedback/ids.js';
import {
  ACCEPT_ACTION,
  RATE_ACTION,
  REJECT_ACTION,
  REJECT_REASON,
  REJECT_VIEW,
} from '../../../src/features/handoffs/ids.js';
import { useTestApp } from '../../support/app-lifecycle.js';
import { DATABASE_KINDS } from '../../support/databases.js';
import { eventually } from '../../support/eventually.js';
import type { RecordedCall } from '../../support/fake-slack.js';
import { seedCampaign } from '../../support/fixtures.js';
import { CHANNELS, SIGNING_SECRET } from '../../support/harness.js';
import { buttonPress, selected, sendInteraction, viewSubmission } from '../../support/slack-requests.js';
import { handoffEvent, postWebhook } from '../../support/webhooks.js';

const OWNER = 'UOWNER001';

/** Dana's handoff, with `lead` fields and top-level `overrides` (an owner, say) changed. */
const danaHandoff = (overrides: Record<string, unknown> = {}, lead: Record<string, unknown> = {}) =>
  handoffEvent({
    occurred_at: '2026-11-20T15:30:00Z',
    lead: {
      id: 'L-1001',
      name: '  Dana Whitfield ',
      email: 'dana@northwind.example',
      company: 'Northwind',
      title: 'VP Operations',
      score: 87,
      source: 'webinar',
      campaign_id: 'CMP-7',
      notes: 'Asked about SSO and the annual plan.',
      url: 'https://crm.example.com/leads/1001',
      unknown_field: 'ignored',
      ...lead,
    },
    owner: { email: 'owen@acme.example' },
    ...overrides,
  });

describe.each(DATABASE_KINDS)('lead handoffs on %s', (kind) => {
  const t = useTestApp(kind, {
    async seed({ slack, app }) {
      slack.users.set('owen@acme.example', OWNER);
      await seedCampaign(app.tandem.deps.db, { crm_id: 'CMP-7', name: 'Q4 Webinar', owner_slack_user_id: 'UMKT0001' });
    },
  });

  const cards = () => t.slack.okCallsOf('chat.postMessage').filter((c) => c.args.channel === CHANNELS.SALES_CHANNEL);
  const handoffs = () => t.app.tandem.deps.db.selectFrom('handoffs').selectAll().orderBy('received_at').execute();
  const buttonsOf = (call: RecordedCall) =>
    ((call.args.blocks as Array<{ type: string; elements?: Array<{ action_id: string; value: string }> }>).find(
      (b) => b.type === 'actions',
    )?.elements ?? []) as Array<{ action_id: string; value: string }>;

  /** Sends a handoff and waits for its card. */
  const handOff = async (event = danaHandoff()) => {
    const before = cards().length;
    const res = await postWebhook(t.app.url, '/webhooks/lead-handoff', event);
    expect(res).toEqual({ status: 202, body: { ok: true, id: event.event_id } });
    const card = await t.slack.waitFor(() => cards()[before], 5_000, 'the handoff card');
    const [handoff] = (await handoffs()).filter((h) => h.event_id === event.event_id);
    return { card, handoff: handoff as NonNullable<typeof handoff> };
  };

  it('posts a card naming the lead, its campaign and the owner, with Accept, Reject and Rate', async () => {
    const { card, handoff } = await handOff();
    const json = JSON.stringify(card.args.blocks);
    for (const expected of [
      'Dana Whitfield',
      'Northwind',
      'VP Operations',
      '87/100',
      'webinar',
      'Q4 Webinar',
      'Asked about SSO',
    ]) {
      expect(json).toContain(expected);
    }
    expect(json).toContain('<https://crm.example.com/leads/1001|Open in CRM>');
    expect(json).toContain(`<@${OWNER}>`);
    expect(String(card.args.text)).toContain(`<@${OWNER}>`);
    expect(buttonsOf(card).map((b) => [b.action_id, b.value])).toEqual([
      [ACCEPT_ACTION, handoff.id],
      [REJECT_ACTION, handoff.id],
      [RATE_ACTION, handoff.id],
    ]);
    expect(handoff).toMatchObject({ status: 'pending', owner_slack_user_id: OWNER, owner_email: 'owen@acme.example' });
    expect(handoff.occurred_at.toISOString()).toBe('2026-11-20T15:30:00.000Z');
    const lead = await t.app.tandem.deps.db.selectFrom('leads').selectAll().executeTakeFirstOrThrow();
    expect(lead).toMatchObject({ crm_id: 'L-1001', name: 'Dana Whitfield', score: 87 });
  });

  it('shows the email when the owner is not in Slack, and a new handoff of the same lead gets a new card', async () => {
    await handOff(danaHandoff({ owner: { email: 'nobody@acme.example' } }));
    expect(String(cards()[0]?.args.text)).toContain('nobody@acme.example');
    await handOff(danaHandoff({}, { name: 'Dana W.', score: 90 }));
    expect(cards()).toHaveLength(2);
    expect(await handoffs()).toHaveLength(2);
    const leads = await t.app.tandem.deps.db.selectFrom('leads').selectAll().execute();
    expect(leads).toMatchObject([{ crm_id: 'L-1001', name: 'Dana W.', score: 90 }]);
  });

  it('answers a repeated event id as a duplicate and posts nothing new', async () => {
    const event = danaHandoff();
    await handOff(event);
    const again = await postWebhook(t.app.url, '/webhooks/lead-handoff', event);
    expect(again).toEqual({ status: 200, body: { ok: true, duplicate: true } });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(cards()).toHaveLength(1);
    expect(await handoffs()).toHaveLength(1);
  });

  it('lets the owner accept: the card is updated in place and the buttons that no longer apply go', async () => {
    const { card, handoff } = await handOff();
    const res = await sendInteraction(
      t.app.url,
      SIGNING_SECRET,
      buttonPress({ actionId: ACCEPT_ACTION, value: handoff.id, userId: OWNER }),
    );
    expect(res.status).toBe(200);
    const update = await t.slack.waitFor(() => t.slack.okCallsOf('chat.update')[0], 5_000, 'the card update');
    expect(update.args.ts).toBe(card.ts);
    expect(update.args.channel).toBe(CHANNELS.SALES_CHANNEL);
    expect(JSON.stringify(update.args.blocks)).toContain(`Accepted by <@${OWNER}>`);
    expect(buttonsOf(update).map((b) => b.action_id)).toEqual([RATE_ACTION]);
    const [stored] = await handoffs();
    expect(stored).toMatchObject({ status: 'accepted', decided_by: OWNER });
    expect(stored?.decided_at).toBeInstanceOf(Date);
  });

  it('tells anyone else only the owner may decide, and changes nothing', async () => {
    const { handoff } = await handOff();
    const responseUrl = t.slack.responseUrl('intruder');
    await sendInteraction(
      t.app.url,
      SIGNING_SECRET,
      buttonPress({ actionId: ACCEPT_ACTION, value: handoff.id, userId: 'UOTHER01', responseUrl }),
    );
    const reply = await t.slack.waitFor(
      () => t.slack.responses.find((r) => r.id === 'intruder'),
      3_000,
      'the ephemeral',
    );
    expect(reply.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(String(reply.body.text)).toContain(`Only <@${OWNER}>`);
    await sendInteraction(
      t.app.url,
      SIGNING_SECRET,
      buttonPress({ actionId: REJECT_ACTION, value: handoff.id, userId: 'UOTHER01', responseUrl }),
    );
    await t.slack.waitFor(
      () => t.slack.responses.filter((r) => r.id === 'intruder').length === 2,
      3_000,
      'second ephemeral',
    );
    expect((await handoffs())[0]?.status).toBe('pending');
    expect(t.slack.callsOf('chat.update')).toHaveLength(0);
    expect(t.slack.callsOf('views.open')).toHaveLength(0);
  });

  it('rejects through the feedback modal: stored as feedback, marketing told, card updated with the reason', async () => {
    const { card, handoff } = await handOff();
    await sendInteraction(
      t.app.url,
      SIGNING_SECRET,
      buttonPress({ actionId: REJECT_ACTION, value: handoff.id, userId: OWNER, triggerId: 'reject-1' }),
    );
    const open = await t.slack.waitFor(() =>
      t.slack.callsOf('views.open').find((c) => c.args.trigger_id === 'reject-1'),
    );
    const view = open.args.view as {
      callback_id: string;
      private_metadata: string;
      blocks: Array<{ block_id?: string; element?: { options?: Array<{ value: string }> } }>;
    };
    expect(view.callback_id).toBe(REJECT_VIEW);
    expect(view.blocks.find((b) => b.block_id === BLOCK.rating)?.element?.options?.map((o) => o.value)).toEqual([
      '1',
      '2',
      '3',
      '4',
      '5',
    ]);

    const submit = (values: Record<string, Record<string, unknown>>) =>
      sendInteraction(
        t.app.url,
        SIGNING_SECRET,
        viewSubmission({ callbackId: REJECT_VIEW, values, privateMetadata: view.private_metadata, userId: OWNER }),
      );
    const rating = { [BLOCK.rating]: { [ACTION.rating]: selected('radio_buttons', '1') } };
    const salesReady = { [BLOCK.salesReady]: { [ACTION.salesReady]: selected('radio_buttons', 'no') } };

    const missingReason = await submit({ ...rating, ...salesReady });
    expect(await missingReason.json()).toEqual({
      response_action: 'errors',
      errors: { [REJECT_REASON.block]: 'Choose why you are rejecting this lead.' },
    });
    expect((await handoffs())[0]?.status).toBe('pending');

    const ok = await submit({
      ...rating,
      ...salesReady,
      [REJECT_REASON.block]: { [REJECT_REASON.action]: selected('radio_buttons', 'no_budget') },
      [BLOCK.comment]: { [ACTION.comment]: { type: 'plain_text_input', value: 'Student project.' } },
    });
    expect(await ok.text()).toBe('');
    const [stored] = await handoffs();
    expect(stored).toMatchObject({ status: 'rejected', decided_by: OWNER, reject_reason: 'no_budget' });
    const feedback = await t.app.tandem.deps.db.selectFrom('lead_feedback').selectAll().execute();
    expect(feedback).toMatchObject([
      { handoff_id: handoff.id, rating: 1, sales_ready: false, reasons: ['no_budget'], comment: 'Student project.' },
    ]);

    const notice = await t.slack.waitFor(() =>
      t.slack.okCallsOf('chat.postMessage').find((c) => c.args.channel === CHANNELS.MARKETING_CHANNEL),
    );
    expect(JSON.stringify(notice.args.blocks)).toMatch(/rejected \*.*Dana Whitfield.*No budget/);
    const update = await t.slack.waitFor(() => t.slack.okCallsOf('chat.update')[0], 5_000, 'the card update');
    expect(update.args.ts).toBe(card.ts);
    expect(JSON.stringify(update.args.blocks)).toContain(`Rejected by <@${OWNER}>`);
    expect(JSON.stringify(update.args.blocks)).toContain('No budget');
    expect(buttonsOf(update)).toEqual([]);
  });

  it('opens the feedback modal for the lead from Rate lead', async () => {
    const { handoff } = await handOff();
    await sendInteraction(
      t.app.url,
      SIGNING_SECRET,
      buttonPress({ actionId: RATE_ACTION, value: handoff.id, userId: 'UANYONE1', triggerId: 'rate-1' }),
    );
    const open = await t.slack.waitFor(() => t.slack.callsOf('views.open').find((c) => c.args.trigger_id === 'rate-1'));
    const view = open.args.view as { callback_id: string; private_metadata: string };
    expect(view.callback_id).toBe('lead_feedback');
    expect(JSON.parse(view.private_metadata)).toMatchObject({ handoffId: handoff.id });
    expect(JSON.stringify(view)).toContain(handoff.lead_id);
  });

  it('escapes mrkdwn so a lead named <!channel> pings nobody', async () => {
    const { card } = await handOff(
      danaHandoff(
        {},
        { name: '<!channel> Mallory', company: '<@U0BOSS01> & Co', notes: '<https://evil.example|click>' },
      ),
    );
    const json = JSON.stringify(card.args);
    expect(json).not.toContain('<!channel>');
    expect(json).not.toContain('<@U0BOSS01>');
    expect(json).not.toContain('<https://evil.example');
    expect(json).toContain('&lt;!channel&gt; Mallory');
  });

  it('truncates very long notes to fit Block Kit', async () => {
    const { card } = await handOff(danaHandoff({}, { notes: 'n'.repeat(3000) }));
    for (const block of card.args.blocks as Array<{ text?: { text: string } }>) {
      expect(block.text?.text.length ?? 0).toBeLessThanOrEqual(3000);
    }
  });

  it('answers 503 while the database is down, so the sender retries', async () => {
    await t.app.tandem.database.close();
    const res = await postWebhook(t.app.url, '/webhooks/lead-handoff', danaHandoff());
    expect(res).toEqual({ status: 503, body: { ok: false, error: 'database_unavailable' } });
  });

  it('eventually records who accepted even when Slack is slow to update the card', async () => {
    t.slack.fail('chat.update', { kind: 'http', status: 500 }, 1);
    const { handoff } = await handOff();
    await sendInteraction(
      t.app.url,
      SIGNING_SECRET,
      buttonPress({ actionId: ACCEPT_ACTION, value: handoff.id, userId: OWNER }),
    );
    await eventually(async () => t.slack.okCallsOf('chat.update').length === 1, 5_000, 'the retried update');
    expect(t.slack.callsOf('chat.update').map((c) => c.status)).toEqual([500, 200]);
  });
});
