import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase } from '../../src/db/database.js';
import { createLogger } from '../../src/logger.js';
import { createMetrics } from '../../src/metrics.js';
import { createSlackClients } from '../../src/slack/client.js';
import { enqueue } from '../../src/slack/outbox.js';
import { OutboxStore } from '../../src/slack/outbox-store.js';
import { OutboxWorker } from '../../src/slack/outbox-worker.js';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/databases.js';
import { eventually } from '../support/eventually.js';
import { FakeSlack } from '../support/fake-slack.js';
import { BOT_TOKEN } from '../support/harness.js';

describe.each(DATABASE_KINDS)('outbox delivery on %s', (kind) => {
  let slack: FakeSlack;
  let database: TestDatabase;
  let handle: DatabaseHandle;
  const workers: OutboxWorker[] = [];
  const extraHandles: DatabaseHandle[] = [];
  const logger = createLogger('silent');

  const open = (): Promise<DatabaseHandle> =>
    openDatabase({ url: database.env.DATABASE_URL, dataDir: database.env.DATA_DIR, logger });

  const startWorker = async (
    on: DatabaseHandle,
    metrics = createMetrics(),
    pace = { rate: 0, burst: 1 },
    pollMs = 100,
  ) => {
    const slackClients = createSlackClients({ botToken: BOT_TOKEN, apiUrl: slack.apiUrl }, logger, metrics);
    const worker = new OutboxWorker(
      { database: on, slack: slackClients.delivery, logger, metrics },
      { pollMs, baseBackoffMs: 20, maxBackoffMs: 100, maxAttempts: 3, pace },
    );
    await worker.start();
    workers.push(worker);
    return { worker, metrics };
  };

  const rows = () => handle.db.selectFrom('outbox').selectAll().orderBy('created_at').execute();

  beforeAll(async () => {
    slack = await new FakeSlack().start();
  });
  afterAll(async () => {
    await slack.stop();
  });
  beforeEach(async () => {
    slack.calls.length = 0;
    slack.clearFaults();
    database = await createTestDatabase(kind);
    handle = await open();
  });
  afterEach(async () => {
    for (const worker of workers.splice(0)) await worker.stop();
    for (const extra of extraHandles.splice(0)) await extra.close();
    await handle.close();
    await database.drop();
  });

  it('delivers a committed row at once, without waiting for a poll', async () => {
    await startWorker(handle, createMetrics(), undefined, 60_000); // only the NOTIFY can wake it in time
    await new Promise((resolve) => setTimeout(resolve, 150)); // let the worker go idle
    const started = Date.now();
    await handle.db
      .transaction()
      .execute((trx) => enqueue(trx, { method: 'chat.postMessage', channel: 'C0TEST001', payload: { text: 'hi' } }));
    const call = await slack.waitFor(() => slack.okCallsOf('chat.postMessage')[0], 10_000, 'delivery');
    expect(call.at - started).toBeLessThan(10_000); // far below the 60 s poll: only the NOTIFY can explain it
    await eventually(async () => (await rows())[0]?.status === 'delivered');
    expect((await rows())[0]?.delivered_ts).toBe(call.ts);
  });

  it('does not post what a rolled-back transaction enqueued', async () => {
    await startWorker(handle);
    await expect(
      handle.db.transaction().execute(async (trx) => {
        await enqueue(trx, { method: 'chat.postMessage', channel: 'C0TEST001', payload: { text: 'never' } });
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(slack.callsOf('chat.postMessage')).toHaveLength(0);
    expect(await rows()).toHaveLength(0);
  });

  it('gives up at once on an error no retry can fix, and counts it', async () => {
    slack.fail('chat.postMessage', { kind: 'error', error: 'channel_not_found' }, 10);
    const { metrics } = await startWorker(handle);
    await enqueue(handle.db, { method: 'chat.postMessage', channel: 'C0GONE001', payload: { text: 'x' } });
    await eventually(async () => (await rows())[0]?.status === 'failed', 3_000, 'the row to fail');
    expect((await rows())[0]?.last_error).toBe('channel_not_found');
    expect(slack.callsOf('chat.postMessage')).toHaveLength(1);
    expect(await metrics.registry.metrics()).toMatch(/tandem_outbox_deliveries_total\{result="failed"\} 1/);
  });

  it('retries server errors with backoff, then gives up after the attempt limit', async () => {
    slack.fail('chat.postMessage', { kind: 'http', status: 500 }, 2);
    await startWorker(handle);
    await enqueue(handle.db, { method: 'chat.postMessage', channel: 'C0TEST001', payload: { text: 'eventually' } });
    await eventually(async () => (await rows())[0]?.status === 'delivered', 5_000, 'delivery after two 500s');
    expect(slack.callsOf('chat.postMessage').map((c) => c.status)).toEqual([500, 500, 200]);

    slack.fail('chat.postMessage', { kind: 'http', status: 502 }, 10);
    await enqueue(handle.db, { method: 'chat.postMessage', channel: 'C0TEST001', payload: { text: 'never' } });
    await eventually(async () => (await rows())[1]?.status === 'failed', 5_000, 'giving up');
    expect((await rows())[1]?.last_error).toMatch(/http_502 \(gave up after 3 attempts\)/);
  });

  it('threads a reply under, and updates, the message it depends on', async () => {
    await startWorker(handle);
    const parent = await enqueue(handle.db, {
      method: 'chat.postMessage',
      channel: 'C0TEST001',
      payload: { text: 'card' },
    });
    await enqueue(handle.db, {
      method: 'chat.postMessage',
      payload: { text: 'reply' },
      dependsOn: parent,
    });
    await enqueue(handle.db, {
      method: 'chat.update',
      payload: { text: 'edited' },
      dependsOn: parent,
    });
    const update = await slack.waitFor(() => slack.okCallsOf('chat.update')[0], 5_000, 'the update');
    const reply = await slack.waitFor(() => slack.okCallsOf('chat.postMessage').find((c) => c.args.text === 'reply'));
    const card = slack.okCallsOf('chat.postMessage').find((c) => c.args.text === 'card');
    expect(reply.args.thread_ts).toBe(card?.ts);
    expect(update.args.ts).toBe(card?.ts);
  });

  it('fails a dependent row when the message it depends on failed', async () => {
    slack.fail('chat.postMessage', { kind: 'error', error: 'not_in_channel' }, 1);
    await startWorker(handle);
    const parent = await enqueue(handle.db, {
      method: 'chat.postMessage',
      channel: 'C0TEST001',
      payload: { text: 'card' },
    });
    await enqueue(handle.db, {
      method: 'chat.update',
      payload: { text: 'x' },
      dependsOn: parent,
    });
    await eventually(async () => (await rows()).every((r) => r.status === 'failed'), 5_000, 'both rows failed');
    expect(slack.callsOf('chat.update')).toHaveLength(0);
  });

  it('delivers every row exactly once with two workers competing', async () => {
    const second = kind === 'postgres' ? await open() : handle; // PGlite serves one process: share its handle
    if (second !== handle) extraHandles.push(second);
    await Promise.all([startWorker(handle), startWorker(second)]);
    const count = 40;
    await Promise.all(
      Array.from({ length: count }, (_, i) =>
        enqueue(i % 2 ? handle.db : second.db, {
          method: 'chat.postMessage',
          channel: `C0TEST${String(i % 4).padStart(3, '0')}`,
          payload: { text: `m${i}` },
        }),
      ),
    );
    await eventually(
      async () => (await rows()).filter((r) => r.status === 'delivered').length === count,
      10_000,
      'all rows delivered',
    );
    const texts = slack.okCallsOf('chat.postMessage').map((c) => c.args.text);
    expect(texts).toHaveLength(count);
    expect(new Set(texts).size).toBe(count);
  });

  const post = (db: DatabaseHandle['db'], channel: string, text: string) =>
    enqueue(db, { method: 'chat.postMessage', channel, payload: { text } });
  const deliveredAt = (channel: string) =>
    slack
      .okCallsOf('chat.postMessage')
      .filter((c) => c.args.channel === channel)
      .map((c) => c.at);

  it('paces posts to one channel to the configured rate after a burst, without slowing other channels', async () => {
    await startWorker(handle, createMetrics(), { rate: 5, burst: 2 });
    const started = Date.now();
    for (let i = 0; i < 6; i++) await post(handle.db, 'C0BUSY001', `busy${i}`);
    await post(handle.db, 'C0QUIET01', 'quiet');
    await slack.waitFor(() => deliveredAt('C0BUSY001').length === 6, 8_000, 'all busy-channel posts');
    // Two go at once (the burst), the other four at 5 per second: the last no sooner than 0.8 s after the first
    // token was taken. Load can only make it later, so this bound does not flake.
    expect((deliveredAt('C0BUSY001').at(-1) as number) - started).toBeGreaterThanOrEqual(780);
    expect(deliveredAt('C0QUIET01')[0]).toBeLessThan(deliveredAt('C0BUSY001').at(-1) as number);
  });

  it('holds only the rate-limited channel for Retry-After, and delivers each post once', async () => {
    slack.fail('chat.postMessage', { kind: 'ratelimited', retryAfter: 1 }, 1, (args) => args.channel === 'C0LIMITED');
    await startWorker(handle);
    await post(handle.db, 'C0LIMITED', 'first');
    await eventually(
      async () => (await handle.db.selectFrom('channel_buckets').select('held_until').executeTakeFirst())?.held_until,
      3_000,
      'the hold after the 429',
    );
    const started = Date.now();
    await post(handle.db, 'C0LIMITED', 'second');
    await post(handle.db, 'C0OTHER01', 'elsewhere');
    await slack.waitFor(() => deliveredAt('C0LIMITED').length === 2, 5_000, 'the held channel');
    expect((deliveredAt('C0OTHER01')[0] as number) - started).toBeLessThan(500);
    expect(Math.min(...deliveredAt('C0LIMITED')) - started).toBeGreaterThanOrEqual(500);
    expect(
      slack
        .okCallsOf('chat.postMessage')
        .map((c) => c.args.text)
        .sort(),
    ).toEqual(['elsewhere', 'first', 'second']);
  });

  it('keeps the pace per channel across two workers', async () => {
    const second = kind === 'postgres' ? await open() : handle;
    if (second !== handle) extraHandles.push(second);
    const pace = { rate: 5, burst: 1 };
    await Promise.all([startWorker(handle, createMetrics(), pace), startWorker(second, createMetrics(), pace)]);
    const started = Date.now();
    for (let i = 0; i < 6; i++) await post(i % 2 ? handle.db : second.db, 'C0SHARED1', `s${i}`);
    await slack.waitFor(() => deliveredAt('C0SHARED1').length === 6, 8_000, 'all shared-channel posts');
    // One at once, then five at 5 per second between both workers: the last no sooner than 1 s after the first.
    expect((deliveredAt('C0SHARED1').at(-1) as number) - started).toBeGreaterThanOrEqual(980);
  });

  it('reports the backlog, and replays failed deliveries on request exactly once', async () => {
    slack.fail('chat.postMessage', { kind: 'error', error: 'not_in_channel' }, 1);
    await startWorker(handle);
    const id = await post(handle.db, 'C0PRIVATE', 'invite me');
    await eventually(async () => (await rows())[0]?.status === 'failed', 3_000, 'the failure');
    expect(await new OutboxStore(handle.db).backlog()).toMatchObject({ pending: 0, failed: 1 });

    expect(await new OutboxStore(handle.db).retryFailed([crypto.randomUUID()])).toEqual([]);
    expect(await new OutboxStore(handle.db).retryFailed()).toEqual([id]);
    await eventually(async () => (await rows())[0]?.status === 'delivered', 3_000, 'the replay');
    expect(slack.okCallsOf('chat.postMessage')).toHaveLength(1);
    expect(await new OutboxStore(handle.db).backlog()).toEqual({ pending: 0, failed: 0, oldestPendingSeconds: 0 });
  });
});
