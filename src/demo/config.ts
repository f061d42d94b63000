import { randomBytes } from 'node:crypto';
import { type Config, loadConfig } from '../config.js';
import { DEMO_CHANNELS, DEMO_PEOPLE } from './people.js';

export interface DemoSettings {
  dataDir: string;
  port: number;
  slackApiUrl: string;
  logLevel?: string;
}

/**
 * Tandem's configuration for the demo, built here rather than read from the environment so that `npm run demo`
 * needs no .env: fake channel ids, fresh secrets (the demo signs its own requests), the stand-in as Slack's Web
 * API, the embedded database in the demo's own directory. It still goes through loadConfig, so it is validated
 * like any other.
 */
export function demoConfig(settings: DemoSettings): Config {
  return loadConfig({
    SLACK_BOT_TOKEN: 'xoxb-demo-0000-0000-standin',
    SLACK_SIGNING_SECRET: randomBytes(16).toString('hex'),
    WEBHOOK_SECRET: randomBytes(24).toString('hex'),
    SLACK_API_URL: settings.slackApiUrl,
    DATA_DIR: settings.dataDir,
    PORT: String(settings.port),
    SALES_CHANNEL: DEMO_CHANNELS.sales.id,
    MARKETING_CHANNEL: DEMO_CHANNELS.marketing.id,
    WINS_CHANNEL: DEMO_CHANNELS.wins.id,
    DIGEST_CHANNEL: DEMO_CHANNELS.digest.id,
    SALES_MANAGER_USER_ID: DEMO_PEOPLE.sam.id,
    // Nobody is waiting on a real Slack's rate limits: post as fast as the outbox can.
    SLACK_POST_RATE: '0',
    LOG_LEVEL: settings.logLevel ?? 'warn',
  });
}
