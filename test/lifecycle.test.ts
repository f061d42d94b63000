import { spawn } from 'node:child_process';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ACTION, BLOCK, FEEDBACK_VIEW, LEAD_SELECT } from '../src/features/feedback/ids.js';
import { MAIN } from './support/app-process.js';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from './support/databases.js';
import { eventually } from './support/eventually.js';
import { FakeSlack } from './support/fake-slack.js';
import { seedLead } from './support/fixtures.js';
import { CHANNELS, SIGNING_SECRET, startTestApp, testEnv } from './support/harness.js';
import { selected, sendCommand, sendInteraction, viewSubmission } from './support/slack-requests.js';

const feedbackFor = (leadId: string) =>
  viewSubmission({
    callbackId: FEEDBACK_VIEW,
    values: {
      [BLOCK.lead]: { [LEAD_SELECT]: selected('external_select', leadId) },
      [BLOCK.rating]: { [ACTION.rating]: selected('radio_buttons', '5') },
      [BLOCK.salesReady]: { [ACTION.salesReady]: selected('radio_buttons', 'yes') },
    },
  });

describe('starting and stopping', () => {
  let slack: FakeSlack;
  let database: TestDatabase;

  beforeAll(async () => {
    slack = await new FakeSlack().start();
  });
  afterAll(async () => {
    await slack.stop();
  });
  beforeEach(async () => {
    slack.calls.length = 0;
  });
  afterEach(async () => {
    await database.drop();
  });

  it('keeps the embedded data across a restart on the same DATA_DIR', async () => {
    database = await createTestDatabase('pglite');
    const first = await startTestApp(slack, database);
    const lead = await seedLead(first.tandem.deps.db, { crm_id: 'L-42', name: 'Ari Kim' });
    await sendInteraction(first.url, SIGNING_SECRET, feedbackFor(lead.id));
    await first.stop();

    const second = await startTestApp(slack, database);
    try {
      const rows = await second.tandem.deps.db.selectFrom('lead_feedback').selectAll().execute();
      expect(rows).toMatchObject([{ lead_id: lead.id, rating: 5, sales_ready: true }]);
      await sendCommand(second.url, SIGNING_SECRET, {
        command: '/leadfeedback',
        text: 'L-42',
        trigger_id: 'after-restart',
      });
      const open = await slack.waitFor(() =>
        slack.callsOf('views.open').find((c) => c.args.trigger_id === 'after-restart'),
      );
      expect(JSON.stringify(open.args.view)).toContain(lead.id);
    } finally {
      await second.stop();
    }
  });

  it.each(DATABASE_KINDS)('delivers after a restart what Slack refused before it (%s)', async (kind) => {
    database = await createTestDatabase(kind);
    slack.fail('chat.postMessage', { kind: 'http', status: 503 }, 1_000);
    const first = await startTestApp(slack, database);
    const lead = await seedLead(first.tandem.deps.db, { crm_id: 'L-7', name: 'Sam Ortiz' });
    await sendInteraction(first.url, SIGNING_SECRET, feedbackFor(lead.id));
    await slack.waitFor(() =>
      slack.callsOf('chat.postMessage').some((c) => c.args.channel === CHANNELS.MARKETING_CHANNEL),
    );
    await first.stop();

    slack.clearFaults();
    const second = await startTestApp(slack, database);
    try {
      await slack.waitFor(
        () => slack.okCallsOf('chat.postMessage').find((c) => c.args.channel === CHANNELS.MARKETING_CHANNEL),
        8_000,
        'delivery after restart',
      );
      await eventually(async () => {
        const row = await second.tandem.deps.db.selectFrom('outbox').select('status').executeTakeFirst();
        return row?.status === 'delivered';
      });
      expect(
        slack.okCallsOf('chat.postMessage').filter((c) => c.args.channel === CHANNELS.MARKETING_CHANNEL),
      ).toHaveLength(1);
    } finally {
      await second.stop();
    }
  });

  it('answers commands while Slack is unreachable at boot, and learns its identity once Slack is back', async () => {
    database = await createTestDatabase('pglite');
    slack.fail('auth.test', { kind: 'http', status: 503 }, 2);
    const app = await startTestApp(slack, database);
    try {
      const res = await sendCommand(app.url, SIGNING_SECRET, {
        command: '/leadfeedback',
        text: '',
        trigger_id: 'boot',
      });
      expect(res.status).toBe(200);
      await slack.waitFor(() => slack.callsOf('views.open').find((c) => c.args.trigger_id === 'boot'));
      await slack.waitFor(() => slack.okCallsOf('auth.test').length > 0, 10_000, 'auth.test to succeed');
      expect(slack.callsOf('auth.test').length).toBeGreaterThanOrEqual(3);
    } finally {
      await app.stop();
    }
  });

  it('runs as a process: SIGTERM drains and exits 0, and a bad environment names every problem', async () => {
    database = await createTestDatabase('pglite');
    const env = { ...process.env, ...testEnv(slack, database, { PORT: '0', LOG_LEVEL: 'info' }) };
    const child = spawn(process.execPath, MAIN, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await eventually(async () => output.includes('Tandem is up'), 30_000, 'the process to start');
    child.kill('SIGTERM');
    const started = Date.now();
    expect(await exited).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(output).toContain('"msg":"stopped"');

    const bad = spawn(process.execPath, MAIN, {
      env: { PATH: process.env.PATH, SLACK_BOT_TOKEN: 'nope', PORT: 'x' },
      stdio: ['ignore', 'pipe', 'pipe'],
      cwd: database.env.DATA_DIR, // no .env there to fill the gaps
    });
    let stderr = '';
    bad.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    expect(await new Promise((resolve) => bad.on('exit', resolve))).toBe(1);
    for (const name of ['SLACK_BOT_TOKEN', 'PORT', 'SALES_CHANNEL', 'MARKETING_CHANNEL', 'SLACK_SIGNING_SECRET']) {
      expect(stderr).toContain(name);
    }
  });
});
