import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { AppProcess } from '../support/app-process.js';
import { createTestDatabase, type DatabaseKind, type TestDatabase } from '../support/databases.js';
import { FakeSlack } from '../support/fake-slack.js';
import { CHANNELS } from '../support/harness.js';
import { leadName } from './events.js';

/**
 * What a process-level test works with: one fake Slack for the file, and per test a fresh database and the app
 * processes it starts, all killed and dropped after the test whatever happened to them.
 */
export function useProcessStage() {
  const processes: AppProcess[] = [];
  const stage = {
    slack: undefined as unknown as FakeSlack,
    database: undefined as TestDatabase | undefined,
    async newDatabase(kind: DatabaseKind): Promise<TestDatabase> {
      stage.database = await createTestDatabase(kind);
      return stage.database;
    },
    async start(name: string, env: Record<string, string>): Promise<AppProcess> {
      const app = await AppProcess.start({ name, env });
      processes.push(app);
      return app;
    },
    /** Cards (top-level posts to the sales channel) that Slack accepted. */
    cards() {
      return stage.slack
        .okCallsOf('chat.postMessage')
        .filter((c) => c.args.channel === CHANNELS.SALES_CHANNEL && c.args.thread_ts === undefined);
    },
  };
  beforeAll(async () => {
    stage.slack = await new FakeSlack().start();
  });
  afterAll(async () => {
    await stage.slack.stop();
  });
  afterEach(async () => {
    await Promise.all(processes.splice(0).map((p) => p.dispose()));
    await stage.database?.drop();
    stage.database = undefined;
    stage.slack.reset();
  });
  return stage;
}

/** Each of leads 0 … count-1 has exactly one card among `cards`, and there is nothing else. */
export function expectEachCardOnce(cards: Array<{ args: Record<string, unknown> }>, count: number): void {
  const posted = cards.map((c) => JSON.stringify(c.args.blocks));
  for (let i = 0; i < count; i++) {
    expect(
      posted.filter((blocks) => blocks.includes(leadName(i))),
      leadName(i),
    ).toHaveLength(1);
  }
  expect(posted).toHaveLength(count);
}
