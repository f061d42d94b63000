import { describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../support/databases.js';
import { eventually } from '../support/eventually.js';
import { testEnv } from '../support/harness.js';
import { postWebhook } from '../support/webhooks.js';
import { leadName, numberedHandoff } from './events.js';
import { outboxGauge } from './metrics.js';
import { expectEachCardOnce, useProcessStage } from './stage.js';

const EVENTS = 12;

/** Nothing listens here: a Slack that cannot be reached at all. */
const UNREACHABLE_SLACK = 'http://127.0.0.1:9/api/';

/**
 * With Slack down, webhooks are still accepted; the process is killed with SIGKILL (no
 * chance to tidy up); Slack comes back; a new process delivers every accepted event exactly once.
 */
describe('a crash while Slack is down', { timeout: 90_000 }, () => {
  const stage = useProcessStage();

  const cases = DATABASE_KINDS.flatMap((kind) => [
    { kind, outage: 'answering 503' as const },
    { kind, outage: 'unreachable' as const },
  ]);

  it.each(cases)(
    'delivers every accepted event exactly once after a restart ($kind, Slack $outage)',
    async ({ kind, outage }) => {
      const { slack } = stage;
      // Pacing has its own tests; here it would only stretch the wait for a dozen posts to one channel.
      // One owner gets every event: a card each, not a burst summary.
      const env = testEnv(slack, await stage.newDatabase(kind), { SLACK_POST_RATE: '0', HANDOFF_BURST: '100' });
      if (outage === 'answering 503') slack.fail('chat.postMessage', { kind: 'http', status: 503 }, 10_000);
      const first = await stage.start('first', {
        ...env,
        ...(outage === 'unreachable' ? { SLACK_API_URL: UNREACHABLE_SLACK } : {}),
      });

      const results = await Promise.all(
        Array.from({ length: EVENTS }, (_, i) => postWebhook(first.url, '/webhooks/lead-handoff', numberedHandoff(i))),
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
      const second = await stage.start('second', env);
      await slack.waitFor(() => stage.cards().length >= EVENTS, 20_000, 'every card after the restart');
      await eventually(async () => (await outboxGauge(second.url, 'pending')) === 0, 10_000, 'an empty outbox');
      await new Promise((resolve) => setTimeout(resolve, 500)); // room for a duplicate to show up, were there one
      expectEachCardOnce(stage.cards(), EVENTS);
    },
  );

  it('takes back, at once, the posts a killed process had in flight (embedded database)', async () => {
    const { slack } = stage;
    const env = testEnv(slack, await stage.newDatabase('pglite'));
    slack.fail('chat.postMessage', { kind: 'hang', ms: 60_000 }, 1);
    const first = await stage.start('first', env);
    expect((await postWebhook(first.url, '/webhooks/lead-handoff', numberedHandoff(1))).status).toBe(202);
    await slack.waitFor(() => slack.callsOf('chat.postMessage').length > 0, 10_000, 'the post to be in flight');
    first.kill('SIGKILL');
    await first.exited;

    const restartedAt = Date.now();
    const second = await stage.start('second', env);
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
