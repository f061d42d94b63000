import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AppProcess } from '../support/app-process.js';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/databases.js';
import { eventually } from '../support/eventually.js';
import { FakeSlack } from '../support/fake-slack.js';
import { CHANNELS, testEnv } from '../support/harness.js';
import { postWebhook } from '../support/webhooks.js';
import { handoffEvent, leadName } from './events.js';
import { outboxGauge } from './metrics.js';

const EVENTS = 12;

/** Nothing listens here: a Slack that cannot be reached at all. */
const UNREACHABLE_SLACK = 'http://127.0.0.1:9/api/';

/**
 * Promise 2 of issue 5: with Slack down, webhooks are still accepted; the process is killed with SIGKILL (no
 * chance to tidy up); Slack comes back; a new process delivers every accepted event exactly once.
 */
describe('a crash while Slack is down', { timeout: 90_000 }, () => {
  let slack: FakeSlack;
  let database: TestDatabase | undefined;
  const processes: AppProcess[] = [];

  beforeAll(async () => {
    slack = await new FakeSlack().start();
  });
  afterAll(async () => {
    await slack.stop();
  });
  afterEach(async () => {
    await Promise.all(processes.splice(0).map((p) => p.dispose()));
    await database?.drop();
    slack.reset();
  });

  const cases = DATABASE_KINDS.flatMap((kind) => [
    { kind, outage: 'answering 503' as const },
    { kind, outage: 'unreachable' as const },
  ]);

  it.each(cases)(
    'delivers every accepted event exactly once after a restart ($kind, Slack $outage)',
    async ({ kind, outage }) => {
      database = await createTestDatabase(kind);
      // Pacing has its own tests; here it would only stretch the wait for a dozen posts to one channel.
      const env = testEnv(slack, database, { SLACK_POST_RATE: '0' });
      if (outage === 'answering 503') slack.fail('chat.postMessage', { kind: 'http', status: 503 }, 10_000);
      const first = await AppProcess.start('first', {
        ...env,
        ...(outage === 'unreachable' ? { SLACK_API_URL: UNREACHABLE_SLACK } : {}),
      });
      processes.push(first);

      const results = await Promise.all(
        Array.from({ length: EVENTS }, (_, i) => postWebhook(first.url, '/webhooks/lead-handoff', handoffEvent(i))),
      );
      expect(results.map((r) => r.status)).toEqual(Array(EVENTS).fill(202));
      await eventually(
        async () => first.logged('delivery failed; will retry').length >= EVENTS,
        15_000,
        'every card to have failed at least once',
      );

      first.kill('SIGKILL');
      expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });

      slack.clearFaults();
      const second = await AppProcess.start('second', env);
      processes.push(second);
      const cards = () => slack.okCallsOf('chat.postMessage').filter((c) => c.args.channel === CHANNELS.SALES_CHANNEL);
      await slack.waitFor(() => cards().length >= EVENTS, 20_000, 'every card after the restart');
      await eventually(async () => (await outboxGauge(second.url, 'pending')) === 0, 10_000, 'an empty outbox');
      await new Promise((resolve) => setTimeout(resolve, 500)); // room for a duplicate to show up, were there one

      const posted = cards().map((c) => JSON.stringify(c.args.blocks));
      for (let i = 0; i < EVENTS; i++) {
        expect(
          posted.filter((blocks) => blocks.includes(leadName(i))),
          leadName(i),
        ).toHaveLength(1);
      }
      expect(posted).toHaveLength(EVENTS);
    },
  );
  it('takes back, at once, the posts a killed process had in flight (embedded database)', async () => {
    database = await createTestDatabase('pglite');
    const env = testEnv(slack, database);
    slack.fail('chat.postMessage', { kind: 'hang', ms: 60_000 }, 1);
    const first = await AppProcess.start('first', env);
    processes.push(first);
    expect((await postWebhook(first.url, '/webhooks/lead-handoff', handoffEvent(1))).status).toBe(202);
    await slack.waitFor(() => slack.callsOf('chat.postMessage').length > 0, 10_000, 'the post to be in flight');
    first.kill('SIGKILL');
    await first.exited;

    const restartedAt = Date.now();
    const second = await AppProcess.start('second', env);
    processes.push(second);
    // Well inside the 30 s lease: the claim was released at start, not waited out.
    const card = await slack.waitFor(
      () => slack.okCallsOf('chat.postMessage').find((c) => c.at >= restartedAt),
      15_000,
      'the card from the restarted process',
    );
    expect(JSON.stringify(card.args.blocks)).toContain(leadName(1));
    expect(second.logged('took back deliveries a stopped process had claimed')).toMatchObject([{ released: 1 }]);
  });
});
