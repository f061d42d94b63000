import { describe, expect, it } from 'vitest';
import { ACCEPT_ACTION, REJECT_ACTION } from '../../../src/features/handoffs/ids.js';
import { useTestApp } from '../../support/app-lifecycle.js';
import { slashCommand } from '../../support/commands.js';
import { DATABASE_KINDS } from '../../support/databases.js';
import { CHANNELS, SIGNING_SECRET } from '../../support/harness.js';
import { appHomeOpened, buttonPress, sendEvent, sendInteraction } from '../../support/slack-requests.js';
import { handoffEvent, postWebhook } from '../../support/webhooks.js';

const ADMIN = 'UADMIN001';
const MANAGER = 'UMANAGER1';
const REP = 'UREPNEW01';
const OTHER = 'UOTHER001';
const STRANGER_EMAIL = 'sam.contractor@partner.example';

const handoff = (n: number, ownerEmail = STRANGER_EMAIL) =>
  handoffEvent({
    lead: { id: `L-${n}`, name: `Lead ${n}`, company: 'Northwind' },
    owner: { email: ownerEmail },
  });

describe.each(DATABASE_KINDS)('owners Tandem cannot place in Slack on %s', (kind) => {
  const t = useTestApp(kind, { env: { TANDEM_ADMINS: `${ADMIN}, UADMIN002`, SALES_MANAGER_USER_ID: MANAGER } });

  const cards = () => t.slack.okCallsOf('chat.postMessage').filter((c) => c.args.channel === CHANNELS.SALES_CHANNEL);
  const stored = () => t.app.tandem.deps.db.selectFrom('handoffs').selectAll().orderBy('received_at').execute();

  async function handOff(n: number, ownerEmail?: string) {
    const before = cards().length;
    const event = handoff(n, ownerEmail);
    expect((await postWebhook(t.app.url, '/webhooks/lead-handoff', event)).status).toBe(202);
    const card = await t.slack.waitFor(() => cards()[before], 5_000, 'the card');
    const row = (await stored()).find((h) => h.event_id === event.event_id);
    return { card, id: row?.id as string };
  }

  /** Presses a button as `userId` and returns the private answer. */
  async function press(actionId: string, handoffId: string, userId: string) {
    const responseUrl = t.slack.responseUrl();
    const id = responseUrl.split('/').pop();
    await sendInteraction(t.app.url, SIGNING_SECRET, buttonPress({ actionId, value: handoffId, userId, responseUrl }));
    return t.slack.waitFor(() => t.slack.responses.find((r) => r.id === id), 5_000, 'the ephemeral');
  }

  /** Runs `/tandem <text>` as `userId` and returns the private answer. */
  const tandem = (text: string, userId: string) => slashCommand(t, '/tandem', text, userId);

  it('a lead whose owner is not in Slack is nobody else’s: the card says whose it is, a rep is refused', async () => {
    const { card, id } = await handOff(1);
    expect(String(card.args.text)).toContain(`${STRANGER_EMAIL}, who is not in Slack yet`);
    for (const action of [ACCEPT_ACTION, REJECT_ACTION]) {
      const reply = await press(action, id, OTHER);
      expect(String(reply.body.text)).toContain('who is not in Slack yet');
      expect(String(reply.body.text)).toContain('only an admin or the sales manager');
    }
    expect((await stored())[0]?.status).toBe('pending');
    expect(t.slack.callsOf('views.open')).toHaveLength(0);
  });

  it('the sales manager and admins may decide for an owner who is not in Slack', async () => {
    const first = await handOff(1);
    await sendInteraction(
      t.app.url,
      SIGNING_SECRET,
      buttonPress({ actionId: ACCEPT_ACTION, value: first.id, userId: MANAGER }),
    );
    await t.slack.waitFor(() => t.slack.okCallsOf('chat.update')[0], 5_000, 'the card update');
    t.slack.roles.set('UWSADMIN1', 'owner');
    const second = await handOff(2);
    await sendInteraction(
      t.app.url,
      SIGNING_SECRET,
      buttonPress({ actionId: ACCEPT_ACTION, value: second.id, userId: 'UWSADMIN1' }),
    );
    await t.slack.waitFor(() => t.slack.okCallsOf('chat.update')[1], 5_000, 'the second card update');
    expect((await stored()).map((h) => [h.status, h.decided_by])).toEqual([
      ['accepted', MANAGER],
      ['accepted', 'UWSADMIN1'],
    ]);
  });

  for (const [label, fault] of [
    ['errors', { kind: 'error', error: 'internal_error' }],
    ['is rate limited', { kind: 'ratelimited', retryAfter: 30 }],
  ] as const) {
    it(`when Slack's lookup by email ${label}, nobody but the owner gets the lead: try again in a minute`, async () => {
      t.slack.users.set('owen@acme.example', 'UOWNER001');
      t.slack.fail('users.lookupByEmail', fault, 50);
      const { card, id } = await handOff(1, 'owen@acme.example');
      expect(String(card.args.text)).not.toContain('<@UOWNER001>');
      const reply = await press(ACCEPT_ACTION, id, OTHER);
      expect(String(reply.body.text)).toMatch(/try again in a minute/i);
      expect((await stored())[0]).toMatchObject({ status: 'pending', decided_by: null });
      // Slack answers again: the owner is found, the card shows them, and the owner may accept.
      t.slack.clearFaults();
      const refused = await press(ACCEPT_ACTION, id, OTHER);
      expect(String(refused.body.text)).toContain('Only <@UOWNER001>');
      const update = await t.slack.waitFor(() => t.slack.okCallsOf('chat.update')[0], 5_000, 'the card update');
      expect(JSON.stringify(update.args.blocks)).toContain('<@UOWNER001>');
    });
  }

  it('/tandem map and /tandem unmapped are for admins; anyone else is told so and nothing changes', async () => {
    await handOff(1);
    for (const text of ['unmapped', `map ${STRANGER_EMAIL} <@${REP}|rep>`]) {
      expect(await tandem(text, OTHER)).toContain('Only Tandem admins');
    }
    const [row] = await t.app.tandem.deps.db.selectFrom('crm_users').selectAll().execute();
    expect(row).toMatchObject({ crm: 'tandem', crm_user_id: STRANGER_EMAIL, slack_user_id: null });
    expect((await stored())[0]?.owner_slack_user_id).toBeNull();
  });

  it('an admin lists the unmapped owners with their pending handoffs, maps one, and cards and Home follow', async () => {
    await handOff(1);
    await handOff(2);
    const list = await tandem('unmapped', ADMIN);
    expect(list).toContain(STRANGER_EMAIL);
    expect(list).toContain('2 pending handoffs');

    const answer = await tandem(`map <mailto:${STRANGER_EMAIL}|${STRANGER_EMAIL}> <@${REP}|sam>`, ADMIN);
    expect(answer).toContain(`<@${REP}>`);
    expect(answer).toContain('2 open handoffs');
    const updates = await t.slack.waitFor(
      () => (t.slack.okCallsOf('chat.update').length === 2 ? t.slack.okCallsOf('chat.update') : undefined),
      5_000,
      'both cards updated',
    );
    for (const update of updates) expect(JSON.stringify(update.args.blocks)).toContain(`New lead for <@${REP}>`);
    const home = t.slack.okCallsOf('views.publish').find((c) => c.args.user_id === REP);
    expect(JSON.stringify(home?.args.view)).toContain('Lead 1');
    expect(JSON.stringify(home?.args.view)).toContain('Lead 2');
    expect(await tandem('unmapped', ADMIN)).toContain('Every CRM owner');

    // Later handoffs to the same owner arrive mapped, and the rep may now decide.
    const third = await handOff(3);
    expect(String(third.card.args.text)).toContain(`<@${REP}>`);
    await sendInteraction(
      t.app.url,
      SIGNING_SECRET,
      buttonPress({ actionId: ACCEPT_ACTION, value: third.id, userId: REP }),
    );
    await t.slack.waitFor(() => t.slack.okCallsOf('chat.update')[2], 5_000, 'the accepted card');
    expect((await stored())[2]).toMatchObject({ status: 'accepted', decided_by: REP });
  });

  it('a workspace admin (users.info) may map by bare ids; unknown ids and bad arguments get the usage', async () => {
    t.slack.roles.set('UWSADMIN1', 'admin');
    expect(await tandem(`map 005000000000001AAA ${REP}`, 'UWSADMIN1')).toContain('has not seen a CRM owner');
    expect(await tandem('map only-one-arg', 'UWSADMIN1')).toContain('Usage: `/tandem map');
    expect(await tandem(`map ${STRANGER_EMAIL} ${REP}`, 'UWSADMIN1')).toContain(`<@${REP}>`);
    const rows = await t.app.tandem.deps.db.selectFrom('crm_users').selectAll().execute();
    expect(rows).toMatchObject([{ crm_user_id: STRANGER_EMAIL, slack_user_id: REP, resolved_by: 'admin' }]);
  });

  it('Home shows a rep the handoffs named by their email even when Slack could not be asked at the time', async () => {
    t.slack.users.set('owen@acme.example', 'UOWNER001');
    t.slack.fail('users.lookupByEmail', { kind: 'error', error: 'internal_error' }, 50);
    await handOff(1, 'owen@acme.example');
    t.slack.clearFaults();
    await handOff(2, 'owen@acme.example');
    expect((await stored()).map((h) => h.owner_slack_user_id)).toEqual([null, 'UOWNER001']);
    await sendEvent(t.app.url, SIGNING_SECRET, appHomeOpened('UOWNER001'));
    const home = await t.slack.waitFor(() => t.slack.okCallsOf('views.publish')[0], 5_000, 'the Home tab');
    expect(JSON.stringify(home.args.view)).toContain('Lead 1');
    expect(JSON.stringify(home.args.view)).toContain('Lead 2');
  });

  it('/tandem help lists the subcommands to everyone; an unknown one gets the list too', async () => {
    const help = await tandem('help', OTHER);
    for (const sub of ['map', 'unmapped', 'help']) expect(help).toContain(`/tandem ${sub}`);
    expect(await tandem('frobnicate', OTHER)).toContain('/tandem unmapped');
  });
});
