import { describe, expect, it } from 'vitest';
import { ACTION, BLOCK, FEEDBACK_VIEW, LEAD_SELECT } from '../../../src/features/feedback/ids.js';
import { useTestApp } from '../../support/app-lifecycle.js';
import { DATABASE_KINDS } from '../../support/databases.js';
import { eventually } from '../../support/eventually.js';
import { seedCampaign, seedHandoff, seedLead } from '../../support/fixtures.js';
import { CHANNELS, SIGNING_SECRET } from '../../support/harness.js';
import { HttpSink } from '../../support/http-sink.js';
import {
  blockSuggestion,
  selected,
  sendCommand,
  sendInteraction,
  viewSubmission,
} from '../../support/slack-requests.js';

type Option = { value: string; text: { text: string } };
type Block = { block_id?: string; optional?: boolean; element: { initial_option?: Option; options: Option[] } };
type View = { blocks: Block[]; private_metadata: string; callback_id: string };

describe.each(DATABASE_KINDS)('/leadfeedback on %s', (kind) => {
  let leadId: string;
  const t = useTestApp(kind, {
    async seed({ app: { tandem } }) {
      const db = tandem.deps.db;
      const campaign = await seedCampaign(db, {
        crm_id: 'CMP-7',
        name: 'Q4 Webinar: Pipeline Hygiene',
        owner_slack_user_id: 'UMKT0001',
        url: 'https://crm.example.com/campaigns/7',
      });
      const lead = await seedLead(db, {
        crm_id: 'L-1001',
        name: 'Dana Whitfield',
        email: 'dana@northwind.example',
        company: 'Northwind',
        url: 'https://crm.example.com/leads/1001',
      });
      await seedHandoff(db, { lead_id: lead.id, campaign_id: campaign.id });
      leadId = lead.id;
    },
  });

  const openModal = async (text: string) => {
    const triggerId = `trigger-${Math.random()}`;
    const started = Date.now();
    const res = await sendCommand(t.app.url, SIGNING_SECRET, {
      command: '/leadfeedback',
      text,
      trigger_id: triggerId,
      response_url: t.slack.responseUrl('cmd'),
    });
    const ackMs = Date.now() - started;
    expect(res.status).toBe(200);
    const call = await t.slack.waitFor(
      () => t.slack.callsOf('views.open').find((c) => c.args.trigger_id === triggerId),
      3_000,
      'views.open',
    );
    return { ackMs, view: call.args.view as View };
  };

  const validValues = (overrides: Record<string, Record<string, unknown>> = {}) => ({
    [BLOCK.lead]: { [LEAD_SELECT]: selected('external_select', leadId) },
    [BLOCK.rating]: { [ACTION.rating]: selected('radio_buttons', '2') },
    [BLOCK.salesReady]: { [ACTION.salesReady]: selected('radio_buttons', 'no') },
    [BLOCK.reasons]: {
      [ACTION.reasons]: { type: 'checkboxes', selected_options: [{ value: 'no_budget' }, { value: 'wrong_persona' }] },
    },
    [BLOCK.comment]: { [ACTION.comment]: { type: 'plain_text_input', value: '  Intern downloading the ebook.  ' } },
    ...overrides,
  });

  const submit = (values: Record<string, Record<string, unknown>>, privateMetadata?: string) =>
    sendInteraction(t.app.url, SIGNING_SECRET, viewSubmission({ callbackId: FEEDBACK_VIEW, values, privateMetadata }));

  const feedbackRows = () => t.app.tandem.deps.db.selectFrom('lead_feedback').selectAll().execute();

  it('sends its confirmation only to a Slack response_url: another host in the metadata gets nothing', async () => {
    const elsewhere = await new HttpSink().start();
    try {
      const metadata = JSON.stringify({ responseUrl: elsewhere.url('/collect') });
      expect((await submit(validValues(), metadata)).status).toBe(200);
      const dm = await t.slack.waitFor(
        () => t.slack.okCallsOf('chat.postMessage').find((c) => c.args.channel === 'UREP0001'),
        5_000,
        'the confirmation by DM',
      );
      expect(String(dm.args.text)).toContain('Dana Whitfield');
      expect(elsewhere.hits).toEqual([]);
      expect(t.app.rawLogs.join('\n')).toContain('ignored a response_url that is not Slack');
    } finally {
      await elsewhere.stop();
    }
  });

  it('opens the modal with the named lead selected, right after acking', async () => {
    const { ackMs, view } = await openModal('L-1001');
    expect(ackMs).toBeLessThan(3_000);
    expect(view.callback_id).toBe(FEEDBACK_VIEW);
    const leadBlock = view.blocks.find((b) => b.block_id === BLOCK.lead);
    expect(leadBlock?.element.initial_option?.value).toBe(leadId);
    expect(leadBlock?.element.initial_option?.text.text).toContain('Dana Whitfield');
    const rating = view.blocks.find((b) => b.block_id === BLOCK.rating);
    expect(rating?.optional).not.toBe(true);
    expect(rating?.element.options.map((o) => o.value)).toEqual(['1', '2', '3', '4', '5']);
  });

  it('finds the lead by email too, whatever its case', async () => {
    const { view } = await openModal('DANA@northwind.example');
    expect(view.blocks.find((b) => b.block_id === BLOCK.lead)?.element.initial_option?.value).toBe(leadId);
  });

  it('answers an unknown lead by naming what was typed and offering the search', async () => {
    const { view } = await openModal('L-9999');
    expect(JSON.stringify(view.blocks[0])).toContain('No lead matches *L-9999*');
    expect(view.blocks.find((b) => b.block_id === BLOCK.lead)?.element.initial_option).toBeUndefined();
  });

  it('lets the rep search leads in the picker', async () => {
    await openModal('');
    const res = await sendInteraction(
      t.app.url,
      SIGNING_SECRET,
      blockSuggestion({ actionId: LEAD_SELECT, blockId: BLOCK.lead, value: 'northw' }),
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as { options: Array<{ value: string; text: { text: string } }> };
    expect(body.options).toEqual([expect.objectContaining({ value: leadId })]);
    expect(body.options[0]?.text.text).toBe('Dana Whitfield · Northwind (L-1001)');
  });

  it('stores a valid rating, confirms to the rep and tells marketing through the outbox', async () => {
    const { view } = await openModal('L-1001');
    const res = await submit(validValues(), view.private_metadata);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(''); // an empty ack closes the modal

    const rows = await feedbackRows();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      lead_id: leadId,
      rater_slack_user_id: 'UREP0001',
      rating: 2,
      sales_ready: false,
      reasons: ['no_budget', 'wrong_persona'],
      comment: 'Intern downloading the ebook.',
    });
    expect(rows[0]?.handoff_id).toBeTruthy();

    const post = await t.slack.waitFor(
      () => t.slack.okCallsOf('chat.postMessage').find((c) => c.args.channel === CHANNELS.MARKETING_CHANNEL),
      5_000,
      'marketing notice',
    );
    const blocksText = JSON.stringify(post.args.blocks);
    expect(blocksText).toContain('Dana Whitfield');
    expect(blocksText).toContain('Q4 Webinar: Pipeline Hygiene');
    expect(blocksText).toContain('<@UMKT0001>');
    expect(blocksText).toContain('2/5');
    expect(blocksText).toContain('No budget');
    expect(blocksText).toContain('Intern downloading the ebook.');
    expect(String(post.args.text)).toContain('<@UMKT0001>');

    const confirmation = await t.slack.waitFor(
      () => t.slack.responses.find((r) => r.id === 'cmd'),
      3_000,
      'confirmation',
    );
    expect(confirmation.body).toMatchObject({ response_type: 'ephemeral' });
    expect(String(confirmation.body.text)).toContain('Dana Whitfield');

    const delivered = await eventually(
      async () =>
        (await t.app.tandem.deps.db.selectFrom('outbox').selectAll().execute()).find((r) => r.status === 'delivered'),
      3_000,
      'the outbox row marked delivered',
    );
    expect(delivered.delivered_ts).toBe(post.ts);
  });

  it('refuses a submission without a rating, under the rating field, storing nothing', async () => {
    const { [BLOCK.rating]: _rating, ...withoutRating } = validValues();
    const res = await submit(withoutRating);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      response_action: 'errors',
      errors: { [BLOCK.rating]: 'Choose a rating from 1 to 5.' },
    });
    expect(await feedbackRows()).toHaveLength(0);
    expect(await t.app.tandem.deps.db.selectFrom('outbox').selectAll().execute()).toHaveLength(0);
  });

  it('refuses a forged out-of-range rating and unknown reasons', async () => {
    const res = await submit(
      validValues({
        [BLOCK.rating]: { [ACTION.rating]: selected('radio_buttons', '7') },
        [BLOCK.reasons]: { [ACTION.reasons]: { type: 'checkboxes', selected_options: [{ value: 'hacked' }] } },
      }),
    );
    const body = (await res.json()) as { response_action: string; errors: Record<string, string> };
    expect(body.response_action).toBe('errors');
    expect(Object.keys(body.errors).sort()).toEqual([BLOCK.rating, BLOCK.reasons]);
    expect(await feedbackRows()).toHaveLength(0);
  });

  it('keeps the modal open when the lead was deleted meanwhile', async () => {
    const res = await submit(
      validValues({ [BLOCK.lead]: { [LEAD_SELECT]: selected('external_select', crypto.randomUUID()) } }),
    );
    const body = (await res.json()) as { errors: Record<string, string> };
    expect(body.errors[BLOCK.lead]).toMatch(/no longer exists/);
    expect(await feedbackRows()).toHaveLength(0);
  });

  it('retries the marketing post after a 429 and delivers it once', async () => {
    const toMarketing = (args: Record<string, unknown>) => args.channel === CHANNELS.MARKETING_CHANNEL;
    t.slack.fail('chat.postMessage', { kind: 'ratelimited', retryAfter: 1 }, 1, toMarketing);
    const started = Date.now();
    await submit(validValues());
    const delivered = await t.slack.waitFor(
      () => t.slack.okCallsOf('chat.postMessage').find((c) => c.args.channel === CHANNELS.MARKETING_CHANNEL),
      8_000,
      'delivery after the 429',
    );
    expect(delivered.at - started).toBeGreaterThanOrEqual(1_000);
    const attempts = t.slack.callsOf('chat.postMessage').filter((c) => c.args.channel === CHANNELS.MARKETING_CHANNEL);
    expect(attempts.map((c) => c.status)).toEqual([429, 200]);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(t.slack.okCallsOf('chat.postMessage').filter((c) => toMarketing(c.args))).toHaveLength(1);
  });

  it('escapes mrkdwn in outside text so a lead name cannot ping the channel', async () => {
    const db = t.app.tandem.deps.db;
    const evil = await seedLead(db, { crm_id: 'L-666', name: '<!channel> Mallory', company: '<@U999> & Co' });
    await submit(validValues({ [BLOCK.lead]: { [LEAD_SELECT]: selected('external_select', evil.id) } }));
    const post = await t.slack.waitFor(
      () => t.slack.okCallsOf('chat.postMessage').find((c) => c.args.channel === CHANNELS.MARKETING_CHANNEL),
      5_000,
      'notice',
    );
    const payload = JSON.stringify(post.args);
    expect(payload).not.toContain('<!channel>');
    expect(payload).not.toContain('<@U999>');
    expect(payload).toContain('&lt;!channel&gt; Mallory');
    expect(payload).toContain('&lt;@U999&gt; &amp; Co');
  });
});
