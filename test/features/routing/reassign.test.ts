import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { ACCEPT_ACTION } from '../../../src/features/handoffs/ids.js';
import { handoffJobs } from '../../../src/features/handoffs/job.js';
import { useTestApp } from '../../support/app-lifecycle.js';
import { slashCommand } from '../../support/commands.js';
import { DATABASE_KINDS } from '../../support/databases.js';
import { eventually } from '../../support/eventually.js';
import type { RecordedCall } from '../../support/fake-slack.js';
import { CHANNELS, SIGNING_SECRET, startTestApp, type TestApp } from '../../support/harness.js';
import { appHomeOpened, buttonPress, sendEvent, sendInteraction } from '../../support/slack-requests.js';
import { handoffEvent, postWebhook } from '../../support/webhooks.js';

const [OWNER, ANA, BEN, CAL, DEE] = ['UOWNER001', 'UANA00001', 'UBEN00001', 'UCAL00001', 'UDEE00001'];
const [ADMIN, MANAGER] = ['UADMIN001', 'UMANAGER1'];
const HOUR = 3_600_000;
const ENV = {
  HANDOFF_SLA_HOURS: '1',
  SALES_MANAGER_USER_ID: MANAGER,
  TANDEM_ADMINS: ADMIN,
  SLA_CHECK_CRON: '0 0 1 1 *',
  // Unpaced: these tests count posts, not how fast they go out.
  SLACK_POST_RATE: '0',
};

describe.each(DATABASE_KINDS)('reassignment past twice the SLA on %s', (kind) => {
  const t = useTestApp(kind, {
    env: ENV,
    async seed({ slack }) {
      slack.users.set('owen@acme.example', OWNER);
    },
  });
  const db = () => t.app.tandem.deps.db;
  const textOf = (c: RecordedCall) => String(c.args.text);
  const posts = () => t.slack.okCallsOf('chat.postMessage');
  const escalations = () => posts().filter((c) => textOf(c).includes(':rotating_light:'));
  const notices = () => posts().filter((c) => textOf(c).includes('is yours now'));

  /** Runs `/tandem <text>` as `userId` and returns the private answer. */
  const tandem = (text: string, userId: string) => slashCommand(t, '/tandem', text, userId);
  async function press(handoffId: string, userId: string) {
    const responseUrl = t.slack.responseUrl();
    const id = responseUrl.split('/').pop();
    const payload = buttonPress({ actionId: ACCEPT_ACTION, value: handoffId, userId, responseUrl });
    expect((await sendInteraction(t.app.url, SIGNING_SECRET, payload)).status).toBe(200);
    return id;
  }
  async function handOff(leadId: string, hoursAgo: number, ownerEmail = 'owen@acme.example') {
    const event = handoffEvent({
      occurred_at: new Date(Date.now() - hoursAgo * HOUR).toISOString(),
      lead: { id: leadId, name: `Lead ${leadId}`, company: 'Northwind' },
      owner: { email: ownerEmail },
    });
    expect((await postWebhook(t.app.url, '/webhooks/lead-handoff', event)).status).toBe(202);
    const row = await db()
      .selectFrom('handoffs')
      .selectAll()
      .where('event_id', '=', event.event_id)
      .executeTakeFirstOrThrow();
    const card = await t.slack.waitFor(
      () => posts().find((c) => c.args.channel === CHANNELS.SALES_CHANNEL && textOf(c).includes(`Lead ${leadId}`)),
      5_000,
      'the card',
    );
    return { id: row.id, card };
  }
  const runCheck = (app: TestApp = t.app) =>
    (handoffJobs(app.tandem.deps)[0] as { run: (d: Date) => Promise<void> }).run(new Date());
  const settle = () =>
    eventually(async () => {
      const left = await db().selectFrom('outbox').select('id').where('status', '=', 'pending').execute();
      return left.length === 0;
    }, 8_000);
  /** As if the current owner has had the lead for `hours` (the clock is rescheduled by the next check). */
  const ageClock = (id: string, hours: number) =>
    db()
      .updateTable('handoffs')
      .set({ sla_started_at: new Date(Date.now() - hours * HOUR), sla_due_at: null, sla_late_at: null })
      .where('id', '=', id)
      .execute();
  const ownerOf = async (id: string) =>
    (await db().selectFrom('handoffs').select('owner_slack_user_id').where('id', '=', id).executeTakeFirstOrThrow())
      .owner_slack_user_id;

  it('skips the away and earlier owners, moves the card, and only the new owner may accept', async () => {
    await tandem(`pool add sdr <@${OWNER}|owen> <@${ANA}|ana> <@${BEN}|ben> <@${CAL}|cal>`, ADMIN);
    await tandem('away', ANA);
    t.slack.profiles.set(BEN, {
      name: 'ben',
      realName: 'Ben',
      status: { emoji: ':face_with_thermometer:', expiration: Math.floor(Date.now() / 1000) + 3600 },
    });
    const { id, card } = await handOff('L-1', 2.5);
    await runCheck();
    await settle();

    expect(await ownerOf(id)).toBe(CAL);
    const update = await t.slack.waitFor(() => t.slack.okCallsOf('chat.update').at(-1), 5_000, 'the card edit');
    expect(update.args.ts).toBe(card.ts);
    expect(textOf(update)).toContain(`New lead for <@${CAL}>`);
    expect(JSON.stringify(update.args.blocks)).toContain(`Reassigned from <@${OWNER}> to <@${CAL}> after 2 hours`);
    expect(notices()).toHaveLength(1);
    expect(notices()[0]?.args.thread_ts).toBe(card.ts);
    expect(textOf(notices()[0] as RecordedCall)).toContain(`<@${CAL}>`);
    expect(escalations()).toHaveLength(0);
    // The clock starts again for the new owner: due an SLA from now.
    await runCheck();
    const clock = await db()
      .selectFrom('handoffs')
      .select(['sla_due_at'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(Math.abs((clock.sla_due_at as Date).getTime() - (Date.now() + HOUR))).toBeLessThan(60_000);
    const history = await db().selectFrom('handoff_reassignments').selectAll().execute();
    expect(history).toMatchObject([{ handoff_id: id, pool: 'sdr', from_slack_user_id: OWNER, to_slack_user_id: CAL }]);

    // The new owner's Home says where the lead came from.
    await sendEvent(t.app.url, SIGNING_SECRET, appHomeOpened(CAL));
    const home = await t.slack.waitFor(
      () => t.slack.okCallsOf('views.publish').find((c) => c.args.user_id === CAL),
      5_000,
      'the new owner’s Home',
    );
    expect(JSON.stringify(home.args.view)).toContain(`reassigned to you from <@${OWNER}>`);

    // The previous owner is refused; the new one accepts.
    const refusedId = await press(id, OWNER);
    const refusal = await t.slack.waitFor(() => t.slack.responses.find((r) => r.id === refusedId), 5_000, 'refusal');
    expect(String(refusal.body.text)).toContain(`reassigned to <@${CAL}>`);
    await press(id, CAL);
    await eventually(async () => {
      const row = await db()
        .selectFrom('handoffs')
        .select(['status', 'decided_by'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      return row.status === 'accepted' && row.decided_by === CAL;
    });
  });

  it('reassigns again to someone new, then escalates once after MAX_REASSIGNMENTS', async () => {
    await tandem(`pool add sdr <@${OWNER}|owen> <@${ANA}|ana> <@${BEN}|ben>`, ADMIN);
    const { id } = await handOff('L-2', 2.5);
    await runCheck();
    const first = await ownerOf(id);
    expect([ANA, BEN]).toContain(first);
    await ageClock(id, 2.5);
    await runCheck();
    const second = await ownerOf(id);
    expect([ANA, BEN].filter((u) => u !== first)).toEqual([second]);
    await ageClock(id, 2.5);
    await runCheck();
    await runCheck();
    await settle();
    expect(await ownerOf(id)).toBe(second);
    expect(escalations()).toHaveLength(1);
    expect(textOf(escalations()[0] as RecordedCall)).toContain(`<@${MANAGER}>`);
    expect(await db().selectFrom('handoff_reassignments').selectAll().execute()).toHaveLength(2);
  });

  it('escalates as before when nobody in the pool is available, or the owner is in no pool', async () => {
    await tandem(`pool add sdr <@${OWNER}|owen> <@${ANA}|ana>`, ADMIN);
    await tandem('away until 2099-01-01', ANA);
    t.slack.users.set('dee@acme.example', DEE);
    const pooled = await handOff('L-3', 2.5);
    const loner = await handOff('L-4', 2.5, 'dee@acme.example');
    await runCheck();
    await runCheck();
    await settle();
    expect(await ownerOf(pooled.id)).toBe(OWNER);
    expect(await ownerOf(loner.id)).toBe(DEE);
    expect(escalations()).toHaveLength(2);
    expect(notices()).toHaveLength(0);
  });

  it.runIf(kind === 'postgres')(
    'reassigns each lead once, or escalates it once, with two replicas checking at once; round robin',
    async () => {
      const second = await startTestApp(t.slack, t.database, ENV);
      try {
        await tandem(`pool add sdr <@${OWNER}|owen> <@${ANA}|ana> <@${BEN}|ben> <@${CAL}|cal>`, ADMIN);
        const leads = [];
        for (let i = 0; i < 6; i++) leads.push(await handOff(`L-R${i}`, 2.5));
        // Dee's pool has nobody else: her two leads are escalated, once each.
        t.slack.users.set('dee@acme.example', DEE);
        await tandem(`pool add solo <@${DEE}|dee>`, ADMIN);
        await handOff('L-D1', 2.5, 'dee@acme.example');
        await handOff('L-D2', 2.5, 'dee@acme.example');
        await Promise.all([runCheck(), runCheck(second), runCheck(), runCheck(second)]);
        await settle();
        const history = await db().selectFrom('handoff_reassignments').selectAll().execute();
        expect(history).toHaveLength(6);
        expect(new Set(history.map((h) => h.handoff_id)).size).toBe(6);
        const perRep = new Map<string, number>();
        for (const h of history) perRep.set(h.to_slack_user_id, (perRep.get(h.to_slack_user_id) ?? 0) + 1);
        expect([...perRep.values()].sort()).toEqual([2, 2, 2]);
        expect(notices()).toHaveLength(6);
        // Dee's two, once each, whichever replica claimed them.
        expect(escalations()).toHaveLength(2);
        expect(escalations().map(textOf).join()).toMatch(/L-D1.*L-D2|L-D2.*L-D1/);
        const reassigned = await db()
          .selectFrom('handoffs')
          .select(sql<number>`count(*)::int`.as('n'))
          .where('reassignments', '=', 1)
          .executeTakeFirstOrThrow();
        expect(reassigned.n).toBe(6);
      } finally {
        await second.stop();
      }
    },
  );
});

describe.each(DATABASE_KINDS)('HANDOFF_REASSIGN=false on %s', (kind) => {
  const t = useTestApp(kind, {
    env: { ...ENV, HANDOFF_REASSIGN: 'false' },
    async seed({ slack, app }) {
      slack.users.set('owen@acme.example', OWNER);
      const db = app.tandem.deps.db;
      await db.insertInto('pools').values({ name: 'sdr' }).execute();
      await db
        .insertInto('pool_members')
        .values([OWNER, ANA].map((slack_user_id) => ({ pool: 'sdr', slack_user_id })))
        .execute();
    },
  });

  it('escalates as before even when someone in the pool is free', async () => {
    const event = handoffEvent({
      occurred_at: new Date(Date.now() - 2.5 * HOUR).toISOString(),
      lead: { id: 'L-9', name: 'Lead L-9' },
      owner: { email: 'owen@acme.example' },
    });
    expect((await postWebhook(t.app.url, '/webhooks/lead-handoff', event)).status).toBe(202);
    await (handoffJobs(t.app.tandem.deps)[0] as { run: (d: Date) => Promise<void> }).run(new Date());
    const escalation = await t.slack.waitFor(
      () => t.slack.okCallsOf('chat.postMessage').find((c) => String(c.args.text).includes(':rotating_light:')),
      5_000,
      'the escalation',
    );
    expect(String(escalation.args.text)).toContain(`<@${OWNER}>`);
    expect(await t.app.tandem.deps.db.selectFrom('handoff_reassignments').selectAll().execute()).toHaveLength(0);
  });
});
