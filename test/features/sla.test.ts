import { describe, expect, it } from 'vitest';
import { ACCEPT_ACTION } from '../../src/features/handoffs/ids.js';
import { handoffJobs } from '../../src/features/handoffs/job.js';
import { escapeMrkdwn } from '../../src/slack/kit/index.js';
import { useTestApp } from '../support/app-lifecycle.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { eventually } from '../support/eventually.js';
import type { RecordedCall } from '../support/fake-slack.js';
import { seedCampaign, seedHandoff, seedLead } from '../support/fixtures.js';
import { CHANNELS, SIGNING_SECRET, startTestApp } from '../support/harness.js';
import { buttonPress, sendInteraction } from '../support/slack-requests.js';
import { handoffEvent, postWebhook } from '../support/webhooks.js';

const OWNER = 'UOWNER001';
const MANAGER = 'UMANAGER1';
const HOUR = 3_600_000;
const SLA = { HANDOFF_SLA_HOURS: '1', SALES_MANAGER_USER_ID: MANAGER, SLA_CHECK_CRON: '0 0 1 1 *' };

const handoffAgo = (leadId: string, name: string, hoursAgo: number) =>
  handoffEvent({
    occurred_at: new Date(Date.now() - hoursAgo * HOUR).toISOString(),
    lead: { id: leadId, name, company: 'Northwind', campaign_id: 'CMP-7' },
    owner: { email: 'owen@acme.example' },
  });

describe.each(DATABASE_KINDS)('handoff SLA on %s', (kind) => {
  const t = useTestApp(kind, {
    env: SLA,
    async seed({ slack, app }) {
      slack.users.set('owen@acme.example', OWNER);
      await seedCampaign(app.tandem.deps.db, { crm_id: 'CMP-7', name: 'Q4 Webinar', owner_slack_user_id: 'UMKT0001' });
    },
  });

  const posts = () => t.slack.okCallsOf('chat.postMessage');
  const cardOf = (name: string) =>
    posts().find(
      (c) => c.args.channel === CHANNELS.SALES_CHANNEL && !c.args.thread_ts && textOf(c).includes(escapeMrkdwn(name)),
    );
  const textOf = (call: RecordedCall) => String(call.args.text);
  const reminders = () => posts().filter((c) => textOf(c).includes(':alarm_clock:'));
  const escalations = () => posts().filter((c) => textOf(c).includes(':rotating_light:'));

  /** Hands a lead off through the CRM webhook and waits for its card. */
  const handOff = async (leadId: string, name: string, hoursAgo: number) => {
    const event = handoffAgo(leadId, name, hoursAgo);
    expect((await postWebhook(t.app.url, '/webhooks/lead-handoff', event)).status).toBe(202);
    const card = await t.slack.waitFor(() => cardOf(name), 5_000, `the card for ${name}`);
    const handoff = await t.app.tandem.deps.db
      .selectFrom('handoffs')
      .selectAll()
      .where('event_id', '=', event.event_id)
      .executeTakeFirstOrThrow();
    return { card, handoff };
  };
  const runCheck = (target = t.app) => {
    const [job] = handoffJobs(target.tandem.deps);
    if (!job) throw new Error('no SLA job');
    return job.run(new Date());
  };
  /** Lets the outbox deliver everything queued, then a little longer to catch anything extra. */
  const settle = async () => {
    await eventually(
      async () => {
        const left = await t.app.tandem.deps.db
          .selectFrom('outbox')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('status', '=', 'pending')
          .executeTakeFirstOrThrow();
        return Number(left.n) === 0;
      },
      5_000,
      'the outbox to drain',
    );
    await new Promise((resolve) => setTimeout(resolve, 250));
  };

  it('reminds the owner once in the card thread past the SLA, and escalates once to the manager past twice it', async () => {
    const late = await handOff('L-1', 'Late Larry', 1.5);
    const later = await handOff('L-2', 'Later <!channel> Lou', 2.5);
    const accepted = await handOff('L-3', 'Accepted Ann', 2.5);
    const fresh = await handOff('L-4', 'Fresh Fay', 0.5);
    const press = await sendInteraction(
      t.app.url,
      SIGNING_SECRET,
      buttonPress({ actionId: ACCEPT_ACTION, value: accepted.handoff.id, userId: OWNER }),
    );
    expect(press.status).toBe(200);
    await eventually(async () => {
      const row = await t.app.tandem.deps.db
        .selectFrom('handoffs')
        .select('status')
        .where('id', '=', accepted.handoff.id)
        .executeTakeFirstOrThrow();
      return row.status === 'accepted';
    });

    await runCheck();
    await settle();
    await runCheck();
    await settle();

    expect(reminders()).toHaveLength(2);
    const threads = reminders().map((c) => [c.args.channel, c.args.thread_ts]);
    expect(threads).toEqual(
      expect.arrayContaining([
        [CHANNELS.SALES_CHANNEL, late.card.ts],
        [CHANNELS.SALES_CHANNEL, later.card.ts],
      ]),
    );
    for (const reminder of reminders()) {
      expect(textOf(reminder)).toContain(`<@${OWNER}>`);
      expect(textOf(reminder)).toMatch(/waited (1|2) hours?|waited \d+ minutes/);
    }
    expect(reminders().map((c) => c.args.thread_ts)).not.toContain(accepted.card.ts);
    expect(reminders().map((c) => c.args.thread_ts)).not.toContain(fresh.card.ts);

    expect(escalations()).toHaveLength(1);
    const [escalation] = escalations();
    expect(escalation?.args.channel).toBe(CHANNELS.SALES_CHANNEL);
    expect(escalation?.args.thread_ts).toBeUndefined();
    expect(textOf(escalation as RecordedCall)).toContain(`<@${MANAGER}>`);
    expect(textOf(escalation as RecordedCall)).toContain(`<@${OWNER}>`);
    expect(textOf(escalation as RecordedCall)).toContain('Later &lt;!channel&gt; Lou');
    expect(textOf(escalation as RecordedCall)).not.toContain('<!channel>');

    const rows = await t.app.tandem.deps.db.selectFrom('handoffs').selectAll().execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(late.handoff.id)).toMatchObject({ sla_escalated_at: null });
    expect(byId.get(late.handoff.id)?.sla_reminded_at).toBeInstanceOf(Date);
    expect(byId.get(later.handoff.id)?.sla_escalated_at).toBeInstanceOf(Date);
    expect(byId.get(accepted.handoff.id)).toMatchObject({ sla_reminded_at: null, sla_escalated_at: null });
    expect(byId.get(fresh.handoff.id)).toMatchObject({ sla_reminded_at: null, sla_escalated_at: null });
  });

  it('reminds in SALES_CHANNEL, naming the lead, when the handoff has no card; the email stands in for the owner', async () => {
    const db = t.app.tandem.deps.db;
    const lead = await seedLead(db, { crm_id: 'L-9', name: 'Cardless Cy', company: 'Acme & Sons' });
    const handoff = await seedHandoff(db, { lead_id: lead.id, occurred_at: new Date(Date.now() - 1.2 * HOUR) });
    await db
      .updateTable('handoffs')
      .set({ owner_slack_user_id: null, owner_email: 'nobody@acme.example' })
      .where('id', '=', handoff.id)
      .execute();
    await runCheck();
    await settle();
    expect(reminders()).toHaveLength(1);
    const [reminder] = reminders();
    expect(reminder?.args).toMatchObject({ channel: CHANNELS.SALES_CHANNEL });
    expect(reminder?.args.thread_ts).toBeUndefined();
    expect(textOf(reminder as RecordedCall)).toContain('nobody@acme.example');
    expect(textOf(reminder as RecordedCall)).toContain('*Cardless Cy* at Acme &amp; Sons');
    expect(escalations()).toHaveLength(0);
  });

  it.runIf(kind === 'postgres')('reminds and escalates exactly once with two replicas checking at once', async () => {
    const second = await startTestApp(t.slack, t.database, SLA);
    try {
      const overdue = [];
      for (let i = 0; i < 6; i++) overdue.push(await handOff(`L-${i}`, `Lead number ${i}`, i % 2 === 0 ? 1.5 : 2.5));
      await Promise.all([runCheck(), runCheck(second), runCheck(), runCheck(second)]);
      await settle();
      expect(reminders()).toHaveLength(6);
      expect(new Set(reminders().map((c) => c.args.thread_ts))).toEqual(new Set(overdue.map((o) => o.card.ts)));
      expect(escalations()).toHaveLength(3);
      const queued = await t.app.tandem.deps.db.selectFrom('outbox').select('payload').execute();
      expect(queued.filter((r) => JSON.stringify(r.payload).includes(':alarm_clock:'))).toHaveLength(6);
    } finally {
      await second.stop();
    }
  });
});
