import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../../support/app-lifecycle.js';
import { slashCommand } from '../../support/commands.js';
import { DATABASE_KINDS } from '../../support/databases.js';
import { notificationId, outboundMessage, postSalesforce } from '../../support/salesforce-messages.js';
import { inboxRows, salesCards, settled, text } from '../hubspot/hubspot-world.js';
import { SF_ADMIN, SF_REP, salesforceWorld } from './salesforce-world.js';

const ACK = '<Ack>true</Ack>';
const UNKNOWN_USER = '005000000000099AAA';

const lead = (ownerId = SF_REP.id, leadId = '00Q000000000151AAA') => ({
  id: notificationId(),
  type: 'Lead',
  fields: { Id: leadId, FirstName: 'Dana', LastName: 'Whitfield', Company: 'Northwind', OwnerId: ownerId },
});

describe('Salesforce connector without its variables', () => {
  const t = useTestApp('pglite', { scope: 'file' });

  it('answers 503 without an Ack, so Salesforce keeps the message', async () => {
    const res = await postSalesforce(t.app.url, outboundMessage([lead()]));
    expect(res.status).toBe(503);
    expect(res.body).not.toContain(ACK);
  });
});

describe.each(DATABASE_KINDS)('Salesforce messages refused or malformed on %s', (kind) => {
  const world = salesforceWorld(kind);

  it('refuses a wrong or missing token and another org with 401: no Ack, nothing stored', async () => {
    for (const res of [
      await postSalesforce(world.app.url, outboundMessage([lead()]), 'not-the-token-0000000000'),
      await postSalesforce(world.app.url, outboundMessage([lead()]), null),
      await postSalesforce(world.app.url, outboundMessage([lead()], '00D000000000002EAA')),
    ]) {
      expect(res.status).toBe(401);
      expect(res.body).not.toContain(ACK);
      expect(res.body).toContain('<faultstring>unauthorized</faultstring>');
    }
    expect(await inboxRows(world)).toHaveLength(0);
  });

  it('answers 503 without an Ack while the database is down, so Salesforce retries', async () => {
    await world.app.tandem.database.close();
    const res = await postSalesforce(world.app.url, outboundMessage([lead()]));
    expect(res.status).toBe(503);
    expect(res.body).not.toContain(ACK);
  });

  it('never answers 5xx to any body, and either acks having stored every notification or stores none', async () => {
    const valid = lead();
    const xml = fc.oneof(
      fc.string({ maxLength: 300 }),
      // A real message with a piece cut out or replaced: broken XML, a missing element, an odd value.
      fc
        .record({ at: fc.nat(), length: fc.nat({ max: 80 }), insert: fc.string({ maxLength: 40 }) })
        .map(({ at, length, insert }) => {
          const whole = outboundMessage([{ ...valid, id: notificationId() }, lead(SF_REP.id, '00Q000000000152AAA')]);
          const start = at % whole.length;
          return whole.slice(0, start) + insert + whole.slice(start + length);
        }),
      fc
        .dictionary(fc.stringMatching(/^[A-Z][A-Za-z_]{0,12}$/), fc.option(fc.string({ maxLength: 50 })))
        .map((fields) =>
          outboundMessage([{ id: notificationId(), type: 'Lead', fields: { Id: '00Q000000000153AAA', ...fields } }]),
        ),
    );
    await fc.assert(
      fc.asyncProperty(xml, async (body) => {
        const before = (await inboxRows(world)).length;
        const res = await postSalesforce(world.app.url, body);
        expect(res.status).toBeLessThan(500);
        const added = (await inboxRows(world)).length - before;
        if (res.status === 200) {
          expect(res.body).toContain(ACK);
          const notifications = (body.match(/xsi:type="sf:(Lead|Opportunity|Campaign)"/g) ?? []).length;
          expect(added === notifications || added === 0).toBe(true);
        } else {
          expect(res.body).not.toContain(ACK);
          expect(added).toBe(0);
        }
      }),
      { numRuns: 80 },
    );
  });
});

describe.each(DATABASE_KINDS)('Salesforce owners Tandem cannot find in Slack on %s', (kind) => {
  const world = salesforceWorld(kind);

  /** Runs `/tandem <text>` as `userId` and returns the private answer. */
  const tandem = (text: string, userId: string) => slashCommand(world, '/tandem', text, userId);

  it('an owner the User API does not know is shown as not in Slack, until an admin maps the id', async () => {
    await postSalesforce(world.app.url, outboundMessage([lead(UNKNOWN_USER)]));
    const card = await world.slack.waitFor(() => salesCards(world)[0], 5_000, 'the card');
    expect(text(card)).toContain(`${UNKNOWN_USER}, who is not in Slack yet`);
    expect(await tandem('unmapped', SF_ADMIN)).toContain(`salesforce \`${UNKNOWN_USER}\`): 1 pending handoff`);
    expect(await tandem(`map ${UNKNOWN_USER} <@UNEWREP01|new>`, SF_ADMIN)).toContain('<@UNEWREP01>');
    const update = await world.slack.waitFor(() => world.slack.okCallsOf('chat.update')[0], 5_000, 'the card update');
    expect(JSON.stringify(update.args.blocks)).toContain('New lead for <@UNEWREP01>');
    const home = world.slack.okCallsOf('views.publish').find((c) => c.args.user_id === 'UNEWREP01');
    expect(JSON.stringify(home?.args.view)).toContain('Dana Whitfield');
  });

  it('when Slack cannot be asked who the owner is, the event waits and is retried rather than posted ownerless', async () => {
    world.slack.fail('users.lookupByEmail', { kind: 'error', error: 'internal_error' }, 2);
    await postSalesforce(world.app.url, outboundMessage([lead()]));
    const card = await world.slack.waitFor(() => salesCards(world)[0], 8_000, 'the card after the retry');
    expect(text(card)).toContain(`<@${SF_REP.slack}>`);
    const [row] = await settled(world);
    expect(row?.attempts).toBeGreaterThan(1);
  });

  it('a Salesforce User API outage is retried too', async () => {
    world.salesforce.failUsers(1);
    await postSalesforce(world.app.url, outboundMessage([lead()]));
    const card = await world.slack.waitFor(() => salesCards(world)[0], 8_000, 'the card after the retry');
    expect(text(card)).toContain(`<@${SF_REP.slack}>`);
  });
});
