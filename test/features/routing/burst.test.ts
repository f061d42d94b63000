import { describe, expect, it } from 'vitest';
import { handoffJobs } from '../../../src/features/handoffs/job.js';
import { HOME_PAGE_ACTION } from '../../../src/features/home/ids.js';
import { useTestApp } from '../../support/app-lifecycle.js';
import { assertWithinBlockKitLimits } from '../../support/block-kit-limits.js';
import { DATABASE_KINDS } from '../../support/databases.js';
import { eventually } from '../../support/eventually.js';
import type { RecordedCall } from '../../support/fake-slack.js';
import { seedCampaign } from '../../support/fixtures.js';
import { CHANNELS, SIGNING_SECRET } from '../../support/harness.js';
import { appHomeOpened, homeButtonPress, sendEvent, sendInteraction } from '../../support/slack-requests.js';
import { handoffEvent, postWebhook } from '../../support/webhooks.js';

const REP = 'UREP00001';
const COUNT = 200;

interface HomeView {
  blocks: Array<{ type: string; elements?: Array<{ action_id?: string; value?: string }> }>;
}

describe.each(DATABASE_KINDS)('a CRM import of %s leads for one rep', (kind) => {
  const t = useTestApp(kind, {
    // Unpaced, so the test waits for the database rather than for the channel's pace.
    env: { HANDOFF_SLA_HOURS: '1', SLACK_POST_RATE: '0', SLA_CHECK_CRON: '0 0 1 1 *' },
    async seed({ slack, app }) {
      slack.users.set('rep@acme.example', REP);
      await seedCampaign(app.tandem.deps.db, { crm_id: 'CMP-7', name: 'Q4 Webinar' });
    },
  });
  const textOf = (c: RecordedCall) => String(c.args.text);
  const channelPosts = () =>
    t.slack.okCallsOf('chat.postMessage').filter((c) => c.args.channel === CHANNELS.SALES_CHANNEL && !c.args.thread_ts);
  const settle = () =>
    eventually(
      async () => {
        const left = await t.app.tandem.deps.db
          .selectFrom('outbox')
          .select('id')
          .where('status', '=', 'pending')
          .execute();
        return left.length === 0;
      },
      20_000,
      'the outbox to drain',
    );

  it('posts at most HANDOFF_BURST cards and one summary card; every lead is reachable from App Home', async () => {
    const occurred = new Date(Date.now() - 1.5 * 3_600_000).toISOString();
    const events = Array.from({ length: COUNT }, (_, i) =>
      handoffEvent({
        occurred_at: occurred,
        lead: {
          id: `L-${i}`,
          name: `Imported <Lead> ${i}`,
          company: 'Northwind',
          campaign_id: i % 2 ? 'CMP-7' : undefined,
        },
        owner: { email: 'rep@acme.example' },
      }),
    );
    for (let i = 0; i < COUNT; i += 25) {
      const statuses = await Promise.all(
        events.slice(i, i + 25).map(async (e) => (await postWebhook(t.app.url, '/webhooks/lead-handoff', e)).status),
      );
      expect(statuses.every((s) => s === 202)).toBe(true);
    }
    await settle();

    const cards = channelPosts().filter((c) => textOf(c).startsWith('New lead for'));
    const summaries = channelPosts().filter((c) => textOf(c).includes('more lead'));
    expect(cards).toHaveLength(10);
    expect(summaries).toHaveLength(1);
    expect(channelPosts()).toHaveLength(11);
    const summaryTs = summaries[0]?.ts;
    const edits = t.slack.okCallsOf('chat.update').filter((c) => c.args.ts === summaryTs);
    const latest = edits.find((c) => textOf(c).includes(`${COUNT - 10} more leads`));
    expect(latest, 'the summary updated to the whole burst').toBeDefined();
    assertWithinBlockKitLimits({ blocks: latest?.args.blocks }, 'message');
    const shown = JSON.stringify(latest?.args.blocks);
    expect(shown).toContain(`<@${REP}>`);
    expect(shown).toContain('Imported &lt;Lead&gt; 199');
    expect(shown).toContain('Q4 Webinar');
    expect(shown).toContain('Home tab');
    expect(shown).not.toContain('<Lead>');
    // Edits waiting to be sent are rewritten, not queued one per lead.
    const queuedEdits = await t.app.tandem.deps.db
      .selectFrom('outbox')
      .select('id')
      .where('method', '=', 'chat.update')
      .execute();
    expect(queuedEdits.length).toBeLessThan(COUNT - 10);

    // App Home, page by page: every one of the 200, each with its own buttons.
    expect((await sendEvent(t.app.url, SIGNING_SECRET, appHomeOpened(REP))).status).toBe(200);
    const seen = new Set<string>();
    let publishes = 0;
    for (let page = 0; page < 20; page++) {
      const view = (
        await t.slack.waitFor(
          () => t.slack.okCallsOf('views.publish').filter((c) => c.args.user_id === REP)[publishes],
          5_000,
          `home page ${page}`,
        )
      ).args.view as HomeView;
      publishes++;
      assertWithinBlockKitLimits(view, 'home');
      const elements = view.blocks.flatMap((b) => (b.type === 'actions' ? (b.elements ?? []) : []));
      for (const e of elements) if (e.action_id === 'handoff_accept' && e.value) seen.add(e.value);
      const older = elements.find((e) => e.action_id === HOME_PAGE_ACTION && Number(e.value) > seen.size - 1);
      if (!older?.value) break;
      const press = homeButtonPress({ actionId: HOME_PAGE_ACTION, value: older.value, userId: REP });
      expect((await sendInteraction(t.app.url, SIGNING_SECRET, press)).status).toBe(200);
    }
    expect(seen.size).toBe(COUNT);

    // Past the SLA: a reminder in each card's thread, and one for all the summarised leads in the summary's.
    await handoffJobs(t.app.tandem.deps)[0]?.run(new Date());
    await settle();
    const reminders = t.slack.okCallsOf('chat.postMessage').filter((c) => textOf(c).includes(':alarm_clock:'));
    expect(reminders).toHaveLength(11);
    const grouped = reminders.filter((c) => c.args.thread_ts === summaryTs);
    expect(grouped).toHaveLength(1);
    expect(textOf(grouped[0] as RecordedCall)).toContain(`${COUNT - 10} leads`);
    assertWithinBlockKitLimits({ blocks: grouped[0]?.args.blocks }, 'message');
  }, 60_000);

  it('reassigns and escalates summarised leads with one post per summary, in its thread', async () => {
    const ANA = 'UANA00001';
    const db = t.app.tandem.deps.db;
    await db.insertInto('pools').values({ name: 'sdr' }).execute();
    await db
      .insertInto('pool_members')
      .values([REP, ANA].map((slack_user_id) => ({ pool: 'sdr', slack_user_id })))
      .execute();
    const occurred = new Date(Date.now() - 2.5 * 3_600_000).toISOString();
    for (let i = 0; i < 15; i++) {
      const event = handoffEvent({
        occurred_at: occurred,
        lead: { id: `P-${i}`, name: `Pooled ${i}` },
        owner: { email: 'rep@acme.example' },
      });
      expect((await postWebhook(t.app.url, '/webhooks/lead-handoff', event)).status).toBe(202);
    }
    await settle();
    const summaryTs = channelPosts().find((c) => textOf(c).includes('more lead'))?.ts;
    expect(summaryTs).toBeDefined();
    await handoffJobs(t.app.tandem.deps)[0]?.run(new Date());
    await settle();
    const notices = t.slack.okCallsOf('chat.postMessage').filter((c) => textOf(c).includes('yours now'));
    expect(notices).toHaveLength(11);
    const grouped = notices.filter((c) => c.args.thread_ts === summaryTs);
    expect(grouped).toHaveLength(1);
    expect(textOf(grouped[0] as RecordedCall)).toContain(`<@${ANA}> 5 leads from this summary are yours now`);
    assertWithinBlockKitLimits({ blocks: grouped[0]?.args.blocks }, 'message');
    expect(channelPosts()).toHaveLength(11);

    // Ana's turn runs out too; Rep already had them: one escalation per card, one for the summary's leads.
    await db
      .updateTable('handoffs')
      .set({ sla_started_at: new Date(Date.now() - 2.5 * 3_600_000), sla_due_at: null, sla_late_at: null })
      .execute();
    await handoffJobs(t.app.tandem.deps)[0]?.run(new Date());
    await settle();
    const escalations = t.slack.okCallsOf('chat.postMessage').filter((c) => textOf(c).includes(':rotating_light:'));
    expect(escalations).toHaveLength(11);
    expect(escalations.filter((c) => c.args.thread_ts === summaryTs)).toHaveLength(1);
  });

  it('a new window after five quiet minutes gets cards again', async () => {
    const send = (i: number) =>
      postWebhook(
        t.app.url,
        '/webhooks/lead-handoff',
        handoffEvent({ lead: { id: `W-${i}`, name: `Window ${i}` }, owner: { email: 'rep@acme.example' } }),
      );
    for (let i = 0; i < 12; i++) expect((await send(i)).status).toBe(202);
    await t.app.tandem.deps.db
      .updateTable('handoff_bursts')
      .set({ window_start: new Date(Date.now() - 6 * 60_000) })
      .execute();
    expect((await send(12)).status).toBe(202);
    await settle();
    const cards = channelPosts().filter((c) => textOf(c).startsWith('New lead for'));
    expect(cards.map(textOf).filter((x) => x.includes('Window 12'))).toHaveLength(1);
    expect(cards).toHaveLength(11);
    expect(channelPosts().filter((c) => textOf(c).includes('more lead'))).toHaveLength(1);
  });
});
