/**
 * Starting the two apps the benchmarks compare, with the environment the tests give Tandem (test/support/harness.ts
 * testEnv) pointed at a fake Slack in the bench process.
 */

import { type AppProcess, TANDEM_MAIN } from '../../test/support/app-process.js';
import type { FakeSlack } from '../../test/support/fake-slack.js';
import { BOT_TOKEN, SIGNING_SECRET, testEnv } from '../../test/support/harness.js';
import { START_FLAGS } from './build.js';
import type { Cleanup } from './cleanup.js';
import { BASELINE_BOLT_APP, profilingFlags, startApp } from './processes.js';

export interface TandemDatabase {
  /** Set for real PostgreSQL; absent for embedded PGlite. */
  url?: string;
  /** DATA_DIR, also the app's working directory. */
  dataDir: string;
}

/**
 * Tandem as a process of its own: `node --import tsx src/main.ts`, or the compiled `compiledMain` (bench/lib/build.ts)
 * with npm start's flags. LOG_LEVEL=warn: an info line per request would make the benchmark measure pino.
 * `overrides` replace variables (SLACK_POST_RATE, say).
 */
export function startTandem(
  cleanup: Cleanup,
  slack: FakeSlack,
  database: TandemDatabase,
  overrides: Record<string, string> = {},
  compiledMain?: string,
): Promise<AppProcess> {
  return startApp(cleanup, {
    name: `tandem (${database.url ? 'PostgreSQL' : 'PGlite'}${compiledMain ? ', compiled' : ''})`,
    script: compiledMain ?? TANDEM_MAIN,
    env: tandemEnv(slack, database, overrides),
    cwd: database.dataDir,
    nodeArgs: [...(compiledMain ? START_FLAGS : []), ...profilingFlags()],
  });
}

/** The environment the benches give Tandem: the tests' (PORT aside), LOG_LEVEL=warn, then `overrides`. */
export function tandemEnv(
  slack: FakeSlack,
  database: TandemDatabase,
  overrides: Record<string, string> = {},
): Record<string, string> {
  return testEnv(
    slack,
    {
      kind: database.url ? 'postgres' : 'pglite',
      env: { DATA_DIR: database.dataDir, ...(database.url ? { DATABASE_URL: database.url } : {}) },
      drop: async () => {},
    },
    // The benches send thousands of leads to one rep and time each card: no burst summaries.
    { LOG_LEVEL: 'warn', HANDOFF_BURST: '1000000', ...overrides },
  );
}

/** The minimal Bolt app (bench/baseline/bolt-app.ts) with the same token, signing secret and Slack. */
export function startBaselineBolt(cleanup: Cleanup, slack: FakeSlack, cwd: string): Promise<AppProcess> {
  return startApp(cleanup, {
    name: 'baseline Bolt app',
    script: BASELINE_BOLT_APP,
    env: { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.apiUrl },
    cwd,
  });
}
