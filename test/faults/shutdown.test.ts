import { describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../support/databases.js';
import { eventually } from '../support/eventually.js';
import { CHANNELS, testEnv } from '../support/harness.js';
import { postWebhook } from '../support/webhooks.js';
import { numberedHandoff, ONE_CARD_PER_LEAD } from './events.js';
import { outboxGauge } from './metrics.js';
import { expectEachCardOnce, useProcessStage } from './stage.js';

const EVENTS = 6;
const SLOW_SLACK_MS = 2_000;

/**
 * SIGTERM while deliveries are in flight stops taking requests, lets those deliveries finish
 * and be recorded, closes the database and exits 0 within 10 s; a restart delivers what was left, and nothing twice.
 */
describe('SIGTERM with deliveries in flight', { timeout: 60_000 }, () => {
  const stage = useProcessStage();

  it.each(DATABASE_KINDS)(
    'finishes them, exits 0 in time, and the next process delivers the rest (%s)',
    async (kind) => {
      const { slack } = stage;
      // The first posts hang for a while, so SIGTERM arrives with them in flight; pacing keeps the rest queued.
      const env = testEnv(slack, await stage.newDatabase(kind), {
        SLACK_POST_RATE: '1',
        SLACK_POST_BURST: '2',
        ...ONE_CARD_PER_LEAD,
      });
      slack.fail('chat.postMessage', { kind: 'hang', ms: SLOW_SLACK_MS }, 2);
      const first = await stage.start('first', env);
      for (let i = 0; i < EVENTS; i++) {
        expect((await postWebhook(first.url, '/webhooks/lead-handoff', numberedHandoff(i))).status).toBe(202);
      }
      const posts = () => slack.callsOf('chat.postMessage').filter((c) => c.args.channel === CHANNELS.SALES_CHANNEL);
      await slack.waitFor(() => posts().length >= 2, 10_000, 'two posts in flight');

      const signalled = Date.now();
      first.kill('SIGTERM');
      await eventually(async () => first.logged('shutting down').length > 0, 5_000, 'the drain to begin');
      await expect(postWebhook(first.url, '/webhooks/lead-handoff', numberedHandoff(99))).rejects.toThrow();
      expect(await first.exited).toEqual({ code: 0, signal: null });
      expect(Date.now() - signalled).toBeLessThan(10_000);
      // The hanging posts were answered during the drain, and recorded as delivered before the exit.
      expect(first.logged('delivered').length).toBeGreaterThanOrEqual(2);
      expect(first.logged('stopped')).toHaveLength(1);

      const second = await stage.start('second', env);
      await slack.waitFor(() => stage.cards().length >= EVENTS, 20_000, 'the rest after the restart');
      await eventually(async () => (await outboxGauge(second.url, 'pending')) === 0, 10_000, 'an empty outbox');
      expectEachCardOnce(stage.cards(), EVENTS); // lead 99's request was refused, so it has no card either
    },
  );
});
