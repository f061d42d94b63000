import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIGEST_JOB } from '../../src/features/digest/job.js';
import { AppProcess } from '../support/app-process.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { FakeSlack } from '../support/fake-slack.js';
import { CHANNELS, testEnv } from '../support/harness.js';
import { queryOnce } from '../support/postgres-admin.js';
import { postWebhook } from '../support/webhooks.js';
import { numberedHandoff } from './events.js';
import { expectEachCardOnce } from './stage.js';

const HANDOFFS = 40;
const RATE = 20;
const BURST = 5;

/**
 * Two replica processes on one PostgreSQL, behind a "load balancer" that alternates between
 * them. A burst split across both posts every card once; SLA reminders and scheduled digests happen once;
 * no outbox row is delivered by both; together they keep to one channel's pace.
 */
describe.skipIf(!process.env.TEST_DATABASE_URL)('two replicas on one PostgreSQL', () => {
  let slack: FakeSlack;
  let database: TestDatabase;
  let replicas: AppProcess[] = [];

  beforeAll(async () => {
    slack = await new FakeSlack().start();
    database = await createTestDatabase('postgres');
    const env = testEnv(slack, database, {
      SLACK_POST_RATE: String(RATE),
      SLACK_POST_BURST: String(BURST),
      DIGEST_CRON: '* * * * * *', // every second: many scheduled runs for both replicas to compete for
      SLA_CHECK_CRON: '* * * * * *',
      HANDOFF_SLA_HOURS: '0.5',
      // One owner gets all the handoffs: a card each, not a burst summary.
      HANDOFF_BURST: String(HANDOFFS),
    });
    replicas = await Promise.all([AppProcess.start({ name: 'a', env }), AppProcess.start({ name: 'b', env })]);
  });
  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.dispose()));
    await database?.drop();
    await slack?.stop();
  });

  const query = <T extends object>(text: string, values: unknown[] = []) =>
    queryOnce<T>(database.env.DATABASE_URL as string, text, values);

  it('posts each card and each SLA reminder once, runs each digest once, and keeps the pace together', async () => {
    // Handed off 40 minutes ago against a 30-minute SLA: each is due one reminder now (escalation is at 60).
    const occurredAt = new Date(Date.now() - 40 * 60_000).toISOString();
    const results = await Promise.all(
      Array.from({ length: HANDOFFS }, (_, i) =>
        postWebhook(
          replicas[i % 2]?.url as string,
          '/webhooks/lead-handoff',
          numberedHandoff(i, { occurred_at: occurredAt }),
        ),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(HANDOFFS).fill(202));

    const sales = () => slack.okCallsOf('chat.postMessage').filter((c) => c.args.channel === CHANNELS.SALES_CHANNEL);
    const cards = () => sales().filter((c) => c.args.thread_ts === undefined);
    const reminders = () => sales().filter((c) => c.args.thread_ts !== undefined);
    await slack.waitFor(() => cards().length >= HANDOFFS, 30_000, 'every card');
    await slack.waitFor(() => reminders().length >= HANDOFFS, 30_000, 'every reminder');
    await new Promise((resolve) => setTimeout(resolve, 2_000)); // more SLA checks and digests run meanwhile

    for (const replica of replicas) replica.kill('SIGTERM');
    expect(await Promise.all(replicas.map((r) => r.exited))).toEqual([
      { code: 0, signal: null },
      { code: 0, signal: null },
    ]);

    expectEachCardOnce(cards(), HANDOFFS);
    const cardTs = new Set(cards().map((c) => c.ts));
    const threads = reminders().map((c) => String(c.args.thread_ts));
    expect(new Set(threads).size).toBe(HANDOFFS);
    expect(threads).toHaveLength(HANDOFFS);
    expect(threads.every((ts) => cardTs.has(ts))).toBe(true);

    // Each scheduled digest was claimed once and queued one post; no post was delivered twice.
    const [runs] = await query<{ count: number }>('select count(*)::int as count from job_runs where job = $1', [
      DIGEST_JOB,
    ]);
    const digestRows = await query<{ status: string }>('select status from outbox where channel = $1', [
      CHANNELS.DIGEST_CHANNEL,
    ]);
    expect(runs?.count).toBeGreaterThanOrEqual(3);
    expect(digestRows).toHaveLength(runs?.count as number);
    const digestPosts = slack.okCallsOf('chat.postMessage').filter((c) => c.args.channel === CHANNELS.DIGEST_CHANNEL);
    expect(digestPosts).toHaveLength(digestRows.filter((r) => r.status === 'delivered').length);

    // Both replicas delivered, and no outbox row was delivered by both.
    const deliveredBy = replicas.map((r) => r.logged('delivered').map((line) => String(line.outboxId)));
    expect(deliveredBy.every((ids) => ids.length > 0)).toBe(true);
    const all = deliveredBy.flat();
    expect(new Set(all).size).toBe(all.length);
    const [delivered] = await query<{ count: number }>(
      "select count(*)::int as count from outbox where status = 'delivered'",
    );
    expect(all).toHaveLength(delivered?.count as number);

    // Together they kept to one channel's pace: after the burst, no faster than RATE posts per second.
    const times = sales().map((c) => c.at);
    const spanSeconds = ((times.at(-1) as number) - (times[0] as number)) / 1000;
    expect((times.length - BURST) / spanSeconds).toBeLessThanOrEqual(RATE * 1.1);
  }, 90_000);
});
