import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { useTestApp } from '../../support/app-lifecycle.js';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../../support/databases.js';
import { FakePipedrive, PIPEDRIVE_API_TOKEN } from '../../support/fake-pipedrive.js';
import { FakeSlack } from '../../support/fake-slack.js';
import { startTestApp, type TestApp } from '../../support/harness.js';
import { PD_PASSWORD, PD_USER, pipedriveBody, postPipedrive } from '../../support/pipedrive-webhooks.js';
import { FAST_INBOX, inboxRows, salesCards, settled, text, winsPosts } from '../hubspot/hubspot-world.js';

const REP = { id: 18487521, email: 'owen@acme.example', slack: 'UOWNER077', name: 'Owen Rep' };
const OTHER = { id: 18487522, email: 'rita@acme.example', slack: 'UOWNER078', name: 'Rita Rep' };

const person = (ownerId: number, updated = '2026-11-20T12:00:00Z') => ({
  id: 3,
  name: 'Dana Whitfield',
  first_name: 'Dana',
  last_name: 'Whitfield',
  owner_id: ownerId,
  org_id: 2,
  emails: [{ value: 'dana@northwind.example', primary: true, label: 'work' }],
  phones: [{ value: '+1 555 0100', primary: true, label: 'work' }],
  add_time: '2026-11-20T11:00:00Z',
  update_time: updated,
});

const deal = (status: string) => ({
  id: 1,
  title: 'Northwind platform',
  value: 48000,
  currency: 'EUR',
  status,
  stage_id: 5,
  pipeline_id: 1,
  owner_id: REP.id,
  person_id: 3,
  org_id: 2,
  won_time: status === 'won' ? '2026-11-21T10:00:00Z' : null,
  lost_time: status === 'lost' ? '2026-11-21T10:00:00Z' : null,
  lost_reason: status === 'lost' ? 'Budget' : null,
  add_time: '2026-11-01T09:00:00Z',
  update_time: '2026-11-21T10:00:00Z',
});

describe.each(DATABASE_KINDS)('Pipedrive webhooks v2 on %s', (kind) => {
  let slack: FakeSlack;
  let pipedrive: FakePipedrive;
  let database: TestDatabase;
  const world = {} as { app: TestApp; slack: FakeSlack };
  beforeAll(async () => {
    slack = await new FakeSlack().start();
    pipedrive = await new FakePipedrive().start();
  });
  afterAll(async () => {
    await slack.stop();
    await pipedrive.stop();
  });
  beforeEach(async () => {
    slack.reset();
    pipedrive.reset();
    for (const rep of [REP, OTHER]) {
      slack.users.set(rep.email, rep.slack);
      pipedrive.users.set(rep.id, { id: rep.id, name: rep.name, email: rep.email });
    }
    database = await createTestDatabase(kind);
    const env = {
      PIPEDRIVE_WEBHOOK_USER: PD_USER,
      PIPEDRIVE_WEBHOOK_PASSWORD: PD_PASSWORD,
      PIPEDRIVE_API_TOKEN,
      PIPEDRIVE_API_URL: pipedrive.url,
    };
    world.slack = slack;
    world.app = await startTestApp(slack, database, env, { inbox: FAST_INBOX });
  });
  afterEach(async () => {
    await world.app?.stop();
    await database?.drop();
  });

  it('a person assigned to an owner becomes a handoff to them, their email read from the users endpoint', async () => {
    const res = await postPipedrive(
      world.app.url,
      pipedriveBody('change', 'person', person(REP.id), { owner_id: OTHER.id }),
    );
    expect(res).toMatchObject({ status: 200, body: { ok: true, stored: 1 } });
    const card = await slack.waitFor(() => salesCards(world)[0], 5_000, 'the handoff card');
    expect(text(card)).toContain(`<@${REP.slack}>`);
    expect(text(card)).toContain('Dana Whitfield');
    const handoff = await world.app.tandem.deps.db
      .selectFrom('handoffs')
      .innerJoin('leads', 'leads.id', 'handoffs.lead_id')
      .selectAll()
      .executeTakeFirstOrThrow();
    expect(handoff).toMatchObject({
      crm_id: '3',
      email: 'dana@northwind.example',
      url: 'https://acme.pipedrive.com/person/3',
      owner_crm: 'pipedrive',
      owner_crm_id: String(REP.id),
      owner_email: REP.email,
    });
    expect(pipedrive.calls).toEqual([`/v1/users/${REP.id}`]);
  });

  it('a lead created with an owner is a handoff; unrelated changes are acknowledged and ignored', async () => {
    const leadId = 'adf21080-0e10-11eb-879b-05d71fb426ec';
    await postPipedrive(
      world.app.url,
      pipedriveBody('create', 'lead', { id: leadId, title: 'Northwind lead', owner_id: OTHER.id, person_id: 3 }),
    );
    const card = await slack.waitFor(() => salesCards(world)[0], 5_000, 'the card');
    expect(text(card)).toContain(`<@${OTHER.slack}>`);
    expect(text(card)).toContain('Northwind lead');
    const unrelated = await postPipedrive(
      world.app.url,
      pipedriveBody('change', 'person', person(REP.id), { phone: [] }),
    );
    expect(unrelated).toMatchObject({ status: 200, body: { ignored: 1 } });
    expect(await inboxRows(world)).toHaveLength(1);
  });

  it('a deal won is celebrated with its person as the lead; lost is stored only', async () => {
    await postPipedrive(world.app.url, pipedriveBody('change', 'person', person(REP.id), { owner_id: null }));
    await slack.waitFor(() => salesCards(world)[0], 5_000, 'the card');
    await postPipedrive(world.app.url, pipedriveBody('change', 'deal', deal('won'), { status: 'open' }));
    const win = await slack.waitFor(() => winsPosts(world)[0], 5_000, 'the celebration');
    expect(text(win)).toContain('Northwind platform');
    const stored = await world.app.tandem.deps.db.selectFrom('deals').selectAll().executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ crm_id: '1', stage: 'won', currency: 'EUR', lead_crm_id: '3' });
    expect(stored.lead_id).not.toBeNull();
    await postPipedrive(world.app.url, pipedriveBody('change', 'deal', { ...deal('lost'), id: 2 }, { status: 'open' }));
    const rows = await settled(world);
    expect(rows.at(-1)?.outcome).toMatch(/^deal .* lost, celebration none$/);
    expect(winsPosts(world)).toHaveLength(1);
  });

  it('wrong or missing credentials get 401 and nothing is stored', async () => {
    const body = pipedriveBody('change', 'person', person(REP.id), { owner_id: null });
    for (const credentials of [
      { user: PD_USER, password: 'wrong-password-000' },
      { user: 'x', password: PD_PASSWORD },
      null,
    ]) {
      expect((await postPipedrive(world.app.url, body, credentials)).status).toBe(401);
    }
    expect(await inboxRows(world)).toHaveLength(0);
  });

  it('a retried delivery is stored once; an older copy arriving late does not undo a newer one', async () => {
    const newer = pipedriveBody('change', 'person', person(OTHER.id, '2026-11-20T12:05:00Z'), { owner_id: REP.id });
    const older = pipedriveBody('change', 'person', person(REP.id, '2026-11-20T12:00:00Z'), { owner_id: null });
    await postPipedrive(world.app.url, newer);
    await slack.waitFor(() => salesCards(world)[0], 5_000, 'the card');
    const retry = await postPipedrive(world.app.url, { ...newer, meta: { ...newer.meta, attempt: 2 } });
    expect(retry).toMatchObject({ status: 200, body: { stored: 0, duplicates: 1 } });
    await postPipedrive(world.app.url, older);
    const rows = await settled(world);
    expect(rows).toHaveLength(2);
    expect(rows[1]?.outcome).toBe('nothing: a newer copy was applied');
    expect(salesCards(world)).toHaveLength(1);
  });

  it('never answers 5xx to any JSON body, and stores a body whole or not at all', async () => {
    const valid = pipedriveBody('change', 'person', person(REP.id), { owner_id: null });
    const mutated = fc
      .record({
        part: fc.constantFrom('meta', 'data', 'previous'),
        key: fc.string({ maxLength: 12 }),
        value: fc.jsonValue(),
      })
      .map(({ part, key, value }) => ({
        ...valid,
        [part]: { ...(valid[part as keyof typeof valid] as object), [key]: value },
      }));
    const body = fc.oneof(fc.jsonValue(), mutated);
    await fc.assert(
      fc.asyncProperty(body, async (value) => {
        const before = (await inboxRows(world)).length;
        const res = await postPipedrive(world.app.url, value);
        expect(res.status).toBeLessThan(500);
        const added = (await inboxRows(world)).length - before;
        expect(added).toBeLessThanOrEqual(1);
        if (res.status !== 200) expect(added).toBe(0);
      }),
      { numRuns: 60 },
    );
  });
});

describe('Pipedrive connector without its variables', () => {
  const t = useTestApp('pglite', { scope: 'file' });

  it('answers 503 so Pipedrive retries until it is configured', async () => {
    const res = await postPipedrive(t.app.url, pipedriveBody('create', 'person', person(REP.id)));
    expect(res).toMatchObject({ status: 503, body: { error: 'connector_not_configured' } });
  });
});
