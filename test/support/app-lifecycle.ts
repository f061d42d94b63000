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
 * The usual test set-up as hooks: one fake Slack for the file, and a fresh database with a running app (then
 * `seed`, if given) for each test, or with `scope: 'file'` one for the whole file (for suites whose tests do not
 * disturb each other's data). Read the parts from the returned object inside tests.
 */
export function useTestApp(
  kind: DatabaseKind,
  options: {
    env?: Record<string, string | undefined>;
    seed?: (ctx: TestAppContext) => Promise<void>;
    scope?: 'test' | 'file';
  } = {},
): TestAppContext {
  const ctx = {} as TestAppContext;
  const perTest = (options.scope ?? 'test') === 'test';
  const startApp = async () => {
    ctx.database = await createTestDatabase(kind);
    ctx.app = await startTestApp(ctx.slack, ctx.database, options.env);
    await options.seed?.(ctx);
  };
  const stopApp = async () => {
    await ctx.app?.stop();
    await ctx.database?.drop();
  };
  beforeAll(async () => {
    ctx.slack = await new FakeSlack().start();
    if (!perTest) await startApp();
  });
  afterAll(async () => {
    if (!perTest) await stopApp();
    await ctx.slack?.stop();
  });
  if (perTest) {
    beforeEach(async () => {
      ctx.slack.reset();
      await startApp();
    });
    afterEach(stopApp);
  }
  return ctx;
}
