import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { createTestDatabase, type DatabaseKind, type TestDatabase } from './databases.js';
import { FakeSlack } from './fake-slack.js';
import { startTestApp, type TestApp } from './harness.js';

export interface TestAppContext {
  slack: FakeSlack;
  database: TestDatabase;
  app: TestApp;
}

/**
 * The usual test set-up as hooks: one fake Slack for the file, and for each test a fresh database and a running
 * app (then `seed`, if given). Read the parts from the returned object inside tests.
 */
export function useTestApp(
  kind: DatabaseKind,
  options: { env?: Record<string, string | undefined>; seed?: (ctx: TestAppContext) => Promise<void> } = {},
): TestAppContext {
  const ctx = {} as TestAppContext;
  beforeAll(async () => {
    ctx.slack = await new FakeSlack().start();
  });
  afterAll(async () => {
    await ctx.slack.stop();
  });
  beforeEach(async () => {
    ctx.slack.reset();
    ctx.database = await createTestDatabase(kind);
    ctx.app = await startTestApp(ctx.slack, ctx.database, options.env);
    await options.seed?.(ctx);
  });
  afterEach(async () => {
    await ctx.app.stop();
    await ctx.database.drop();
  });
  return ctx;
}
