import { describe, expect, it } from 'vitest';
import { ACCEPT_ACTION, RATE_ACTION, REJECT_ACTION } from '../../src/features/handoffs/ids.js';
import { useTestApp } from '../support/app-lifecycle.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { eventually } from '../support/eventually.js';
import type { RecordedCall } from '../support/fake-slack.js';
import { seedCampaign } from '../support/fixtures.js';
import { CHANNELS, SIGNING_SECRET } from '../support/harness.js';
import { openHome as openHomeOf } from '../support/home.js';
import { appHomeOpened, homeButtonPress, sendEvent, sendInteraction } from '../support/slack-requests.js';
import { handoffEvent, postWebhook } from '../support/webhooks.js';

const REP = 'UREP00001';
const OTHER_REP = 'UREP00002';
const MARKETER = 'UMKT00001';

interface View {
  type: string;
  blocks: Array<{ type: string; block_id?: string; elements?: Array<{ action_id?: string; value?: string }> }>;
}

const repHandoff = (leadId: string, name: string, campaignId = 'CMP-7') =>
  handoffEvent({
    occurred_at: new Date(Date.now() - 3 * 3_600_000).toISOString(),
    lead: { id: leadId, name, company: 'Northwind', campaign_id: campaignId },
    owner: { email: 'rep@acme.example' },
  });

describe.each(DATABASE_KINDS)('App Home on %s', (kind) => {
  const t = useTestApp(kind, {
    async seed({ slack, app }) {
      slack.users.set('rep@acme.example', REP);
      await seedCampaign(app.tandem.deps.db, { crm_id: 'CMP-7', name: 'Q4 <Webinar>', owner_slack_user_id: MARKETER });
      await seedCampaign(app.tandem.deps.db, {
        crm_id: 'CMP-8',
        name: 'Someone else’s',
        owner_slack_user_id: 'UMKT00002',
      });
    },
  });

  const db = () => t.app.tandem.deps.db;
  const handOff = async (leadId: string, name: string, campaignId?: string) => {
    const event = repHandoff(leadId, name, campaignId);
    expect((await postWebhook(t.app.url, '/webhooks/lead-handoff', event)).status).toBe(202);
    return db().selectFrom('handoffs').selectAll().where('event_id', '=', event.event_id).executeTakeFirstOrThrow();
  };
  const rate = (handoff: { id: string; lead_id: string }, rater: string, rating: number, salesReady: boolean) =>
    db()
      .insertInto('lead_feedback')
      .values({
        lead_id: handoff.lead_id,
        handoff_id: handoff.id,
        rater_slack_user_id: rater,
        rating,
        sales_ready: salesReady,
        comment: `rated ${rating} by ${rater}`,
      })
      .execute();
  const openHome = (user: string) => openHomeOf<View>(t, user);
  const textOf = (view: View) => JSON.stringify(view.blocks);
  const buttons = (view: View) =>
    view.blocks.filter((b) => b.type === 'actions').map((b) => b.elements?.map((e) => [e.action_id, e.value]));

  /** A pending and an accepted handoff for REP on CMP-7, one without a campaign, and feedback from two reps. */
  const seedStory = async () => {
    const pending = await handOff('L-1', 'Pending Pat');
    const accepted = await handOff('L-2', 'Accepted Ann');
    const noCampaign = await handOff('L-3', 'Loose Lee', '');
    await db().updateTable('handoffs').set({ status: 'accepted' }).where('id', '=', accepted.id).execute();
    await db().updateTable('handoffs').set({ status: 'rejected' }).where('id', '=', noCampaign.id).execute();
    await rate(accepted, REP, 4, true);
    await rate(pending, OTHER_REP, 2, false);
    return { pending, accepted, noCampaign };
  };

  it('shows a rep their pending handoff with working buttons, their feedback and lead quality by campaign', async () => {
    const { pending } = await seedStory();
    const view = await openHome(REP);
    expect(view.type).toBe('home');
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    expect(buttons(view)).toEqual([
      [
        [ACCEPT_ACTION, pending.id],
        [REJECT_ACTION, pending.id],
        [RATE_ACTION, pending.id],
      ],
    ]);
    const text = textOf(view);
    expect(text).toContain('*Pending Pat* at Northwind');
    expect(text).toContain('Waiting 3 hours');
    expect(text).not.toContain('*Accepted Ann* at Northwind · Q4'); // accepted: not pending
    // Their own feedback only.
    expect(text).toContain('★★★★☆ *Accepted Ann*');
    expect(text).not.toContain(`rated 2 by ${OTHER_REP}`);
    // Quality: CMP-7 had 2 handoffs (1 accepted) and 2 ratings (4 and 2, one sales-ready); the loose lead had none.
    expect(text).toContain('Q4 &lt;Webinar&gt;');
    expect(text).not.toContain('Q4 <Webinar>');
    const quality = view.blocks.find((b) => JSON.stringify(b).includes('*Q4 &lt;Webinar&gt;*')) as unknown as {
      fields: Array<{ text: string }>;
    };
    expect(quality.fields.map((f) => f.text)).toEqual([
      '*Feedback*\n2',
      '*Avg rating*\n3.0',
      '*Sales-ready*\n50%',
      '*Accepted*\n50% of 2',
    ]);
    expect(text).toContain('_No campaign_');
    expect(text).not.toContain('Your campaigns');
  });

  it('shows a marketer their campaigns and the latest feedback on their leads', async () => {
    await seedStory();
    const view = await openHome(MARKETER);
    const text = textOf(view);
    expect(text).toContain('Your campaigns, last 30 days');
    expect(text).toContain('Latest feedback on your leads');
    expect(text).toContain(`by <@${OTHER_REP}>`);
    expect(text).toContain(`by <@${REP}>`);
    expect(text).toContain(`rated 2 by ${OTHER_REP}`);
    const yours = text.slice(text.indexOf('Your campaigns'));
    expect(yours).toContain('Q4 &lt;Webinar&gt;');
    expect(yours).not.toContain('Someone else’s');
    expect(buttons(view)).toEqual([]);
    expect(text).toContain('Nothing waiting for you');
  });

  it('shows empty states to someone new, and ignores the Messages tab', async () => {
    const view = await openHome('UNEW00001');
    const text = textOf(view);
    expect(text).toContain('Nothing waiting for you');
    expect(text).toContain('You have not rated a lead yet');
    expect(text).toContain('No handoffs or feedback in the last 30 days');
    const res = await sendEvent(t.app.url, SIGNING_SECRET, appHomeOpened(REP, 'messages'));
    expect(res.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(t.slack.callsOf('views.publish').filter((c) => c.args.user_id === REP)).toHaveLength(0);
  });

  it('publishes once when Slack retries the same event', async () => {
    const eventId = `EvRETRY${Date.now()}`;
    const first = await sendEvent(t.app.url, SIGNING_SECRET, appHomeOpened('URETRY001'), { eventId });
    const retry = await sendEvent(t.app.url, SIGNING_SECRET, appHomeOpened('URETRY001'), { eventId, retryNum: 1 });
    expect([first.status, retry.status]).toEqual([200, 200]);
    await t.slack.waitFor(
      () => t.slack.callsOf('views.publish').some((c) => c.args.user_id === 'URETRY001'),
      3_000,
      'publish',
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(t.slack.callsOf('views.publish').filter((c) => c.args.user_id === 'URETRY001')).toHaveLength(1);
  });

  it('accepts a handoff when the rep presses Accept on the Home tab', async () => {
    const pending = await handOff('L-1', 'Pending Pat');
    const card = await t.slack.waitFor(() =>
      t.slack.okCallsOf('chat.postMessage').find((c: RecordedCall) => c.args.channel === CHANNELS.SALES_CHANNEL),
    );
    const res = await sendInteraction(
      t.app.url,
      SIGNING_SECRET,
      homeButtonPress({ actionId: ACCEPT_ACTION, value: pending.id, userId: REP }),
    );
    expect(res.status).toBe(200);
    await eventually(async () => {
      const row = await db().selectFrom('handoffs').select('status').where('id', '=', pending.id).executeTakeFirst();
      return row?.status === 'accepted';
    });
    const update = await t.slack.waitFor(() => t.slack.okCallsOf('chat.update')[0], 5_000, 'the card update');
    expect(update.args.ts).toBe(card.ts);
  });
});
