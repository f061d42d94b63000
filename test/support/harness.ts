import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { type StartOptions, startTandem, type Tandem } from '../../src/tandem.js';
import type { TestDatabase } from './databases.js';
import type { FakeSlack } from './fake-slack.js';

export const SIGNING_SECRET = 'test-signing-secret-8f3a';
export const BOT_TOKEN = 'xoxb-test-1111-2222-secretvalue';
export const WEBHOOK_SECRET = 'test-webhook-secret-0123456789';
/** GET /api/digest's own read-only token. */
export const DIGEST_API_TOKEN = 'test-digest-api-token-9876543210';
export const CHANNELS = {
  SALES_CHANNEL: 'C0SALES01',
  MARKETING_CHANNEL: 'C0MKTG001',
  WINS_CHANNEL: 'C0WINS001',
  DIGEST_CHANNEL: 'C0DIGEST1',
} as const;

/** A cron moment no test run reaches (midnight on New Year's Day). */
const NEVER = '0 0 1 1 *';
const NO_SCHEDULES = {
  DIGEST_CRON: NEVER,
  SLA_CHECK_CRON: NEVER,
  CAMPAIGN_NOTE_CRON: NEVER,
  RETENTION_CRON: NEVER,
};

export interface TestApp {
  tandem: Tandem;
  url: string;
  /** Every log line the app wrote, parsed. */
  logs: Array<Record<string, unknown>>;
  rawLogs: string[];
  stop(): Promise<void>;
}

/** The environment a test app runs with; `overrides` replace or (with undefined) remove variables. */
export function testEnv(slack: FakeSlack, database: TestDatabase, overrides: Record<string, string | undefined> = {}) {
  const env: Record<string, string | undefined> = {
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    WEBHOOK_SECRET,
    DIGEST_API_TOKEN,
    SLACK_API_URL: slack.apiUrl,
    PORT: '0',
    LOG_LEVEL: 'debug',
    // Schedules fire only where a test asks for them: the real ones (every 5 minutes, Monday mornings, nightly)
    // would otherwise fire at whatever moment a run reaches them and post into stories that count posts.
    ...NO_SCHEDULES,
    ...CHANNELS,
    ...database.env,
    ...overrides,
  };
  return Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined)) as Record<string, string>;
}

/** Starts Tandem in this process, on a free port, against the fake Slack and the given database. */
export async function startTestApp(
  slack: FakeSlack,
  database: TestDatabase,
  overrides: Record<string, string | undefined> = {},
  options: StartOptions = {},
): Promise<TestApp> {
  const rawLogs: string[] = [];
  const logs: Array<Record<string, unknown>> = [];
  const config = loadConfig(testEnv(slack, database, overrides));
  const logger = createLogger(config.logLevel, {
    write(line: string) {
      rawLogs.push(line);
      logs.push(JSON.parse(line));
    },
  });
  const tandem = await startTandem(config, logger, {
    ...options,
    outbox: { pollMs: 200, baseBackoffMs: 50, maxBackoffMs: 500, ...options.outbox },
  });
  return { tandem, url: `http://127.0.0.1:${tandem.port}`, logs, rawLogs, stop: () => tandem.stop() };
}
