import { describe, expect, it } from 'vitest';
import { ACCEPT_ACTION } from '../../../src/features/handoffs/ids.js';
import { handoffJobs } from '../../../src/features/handoffs/job.js';
import { useTestApp } from '../../support/app-lifecycle.js';
import { DATABASE_KINDS } from '../../support/databases.js';
import type { RecordedCall } from '../../support/fake-slack.js';
import { CHANNELS, SIGNING_SECRET } from '../../support/harness.js';
import { buttonPress, sendInteraction } from '../../support/slack-requests.js';
import { handoffEvent, postWebhook } from '../../support/webhooks.js';

const HOUR = 3_600_000;
const ago = (hours: number) => new Date(Date.now() - hours * HOUR).toISOString();

describe.each(DATABASE_KINDS)('a lead handed off more than once on %s', (kind) => {
  const t = useTestApp(kind, { env: { HANDOFF_SLA_HOURS: '1', SLA_CHECK_CRON: '0 0 1 1 *' } });

  const db = () => t.app.tandem.deps.db;
  const lead = () => db().selectFrom('leads').selectAll().where('crm_id', '=', 'L-7').executeTakeFirstOrThrow();
  const handoffs = () => db().selectFrom('handoffs').selectAll().orderBy('occurred_at').execute();
  const cards = () =>
    t.slack.okCallsOf('chat.postMessage').filter((c) => c.args.channel === CHANNELS.SALES_CHANNEL && !c.args.thread_ts);
  const handOff = (occurredAt: string | undefined, lead: Record<string, unknown>, owner = 'UOWNER001') =>
    postWebhook(
      t.app.url,
      '/webhooks/lead-handoff',
      handoffEvent({
        ...(occurredAt ? { occurred_at: occurredAt } : {}),
        lead: { id: 'L-7', name: 'Dana Whitfield', ...lead },
        owner: { slack_user_id: owner },
      }),
    );
  const text = (call: RecordedCall) => JSON.stringify(call.args);

  it('keeps what an earlier event stored when a later one leaves fields out', async () => {
    await handOff(ago(3), { email: 'dana@northwind.example', company: 'Northwind', phone: '+1 555 0100', score: 80 });
    expect((await handOff(ago(2), { title: 'VP Ops' })).status).toBe(202);
    expect(await lead()).toMatchObject({
      email: 'dana@northwind.example',
      company: 'Northwind',
      phone: '+1 555 0100',
      score: 80,
      title: 'VP Ops',
    });
  });

  it('keeps a late handoff, older than the lead’s latest, as history only: no card, the lead’s fields untouched', async () => {
    await handOff(ago(1), { company: 'Northwind' });
    await t.slack.waitFor(() => cards().length === 1, 5_000, 'the first card');
    const late = await handOff(
      ago(5),
      { name: 'Dana W. (old)', company: 'Old Corp', campaign_id: 'CMP-OLD' },
      'UOTHER01',
    );
    expect(late.status).toBe(202);
    expect(await lead()).toMatchObject({ name: 'Dana Whitfield', company: 'Northwind' });
    // Stored for attribution, but it arrives superseded by the newer handoff: no card, no SLA reminder.
    const [older, newer] = await handoffs();
    expect(older).toMatchObject({ status: 'superseded', owner_slack_user_id: 'UOTHER01', card_outbox_id: null });
    expect(newer?.status).toBe('pending');
    expect((await db().selectFrom('outbox').select('id').execute()).length).toBe(1);
  });

  it('closes the earlier pending handoff as superseded: its card says so, without buttons, and no reminder follows', async () => {
    await handOff(ago(3), {}, 'UOWNER001');
    const first = await t.slack.waitFor(() => cards()[0], 5_000, 'the first card');
    await handOff(ago(2), {}, 'UOWNER002');

    const [earlier, later] = await handoffs();
    expect(earlier?.status).toBe('superseded');
    expect(later?.status).toBe('pending');
    const edit = await t.slack.waitFor(
      () => t.slack.okCallsOf('chat.update').find((c) => c.args.ts === first.ts),
      5_000,
      'the superseded card',
    );
    expect(text(edit)).toContain('Superseded');
    expect(text(edit)).not.toContain(ACCEPT_ACTION);

    // Both are past the 1-hour SLA; only the pending one is reminded.
    const [job] = handoffJobs(t.app.tandem.deps);
    await job?.run(new Date());
    const reminders = await t.slack.waitFor(() => {
      const found = t.slack.okCallsOf('chat.postMessage').filter((c) => String(c.args.text).includes(':alarm_clock:'));
      return found.length > 0 && found;
    });
    expect(reminders.map((r) => String(r.args.text))).toEqual([expect.stringContaining('<@UOWNER002>')]);

    // The first owner presses Accept on the old card: refused, nothing changes.
    const press = buttonPress({
      actionId: ACCEPT_ACTION,
      value: earlier?.id as string,
      userId: 'UOWNER001',
      responseUrl: t.slack.responseUrl('refusal'),
    });
    expect((await sendInteraction(t.app.url, SIGNING_SECRET, press)).status).toBe(200);
    const refusal = await t.slack.waitFor(
      () => t.slack.responses.find((r) => r.id === 'refusal'),
      5_000,
      'the refusal',
    );
    expect(String(refusal.body.text)).toContain('handed off again');
    expect((await handoffs())[0]?.status).toBe('superseded');
  });
});
