import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

const valid = {
  SLACK_BOT_TOKEN: 'xoxb-1-2-abc',
  SLACK_SIGNING_SECRET: 'secret',
  SALES_CHANNEL: 'C0SALES01',
  MARKETING_CHANNEL: 'C0MKTG001',
  WINS_CHANNEL: 'C0WINS001',
  DIGEST_CHANNEL: 'C0DIGEST1',
};

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('configuration', () => {
  it('applies the documented defaults in HTTP mode', () => {
    const config = loadConfig(valid);
    expect(config.port).toBe(3000);
    expect(config.database).toEqual({ url: undefined, dataDir: './data' });
    expect(config.slack.apiUrl).toBe('https://slack.com/api/');
    expect(config.slack.socketMode).toBe(false);
    expect(config.logLevel).toBe('info');
    expect(Object.isFrozen(config.slack)).toBe(true);
  });

  it('switches to Socket Mode with an app token and then needs no signing secret', () => {
    const { SLACK_SIGNING_SECRET: _, ...rest } = valid;
    const config = loadConfig({ ...rest, SLACK_APP_TOKEN: 'xapp-1-A-1-x' });
    expect(config.slack.socketMode).toBe(true);
  });

  it('adds the trailing slash WebClient needs to SLACK_API_URL', () => {
    expect(loadConfig({ ...valid, SLACK_API_URL: 'http://127.0.0.1:9000/api' }).slack.apiUrl).toBe(
      'http://127.0.0.1:9000/api/',
    );
  });

  it('names every bad or missing variable in one error', () => {
    const found = problems({
      SLACK_BOT_TOKEN: 'xoxp-user-token',
      PORT: '70000',
      SALES_CHANNEL: '#sales',
      DATABASE_URL: 'mysql://x',
      LOG_LEVEL: 'loud',
    });
    const names = found.map((p) => p.split(' ')[0]);
    expect(names.sort()).toEqual(
      [
        'DATABASE_URL',
        'DIGEST_CHANNEL',
        'LOG_LEVEL',
        'MARKETING_CHANNEL',
        'PORT',
        'SALES_CHANNEL',
        'SLACK_BOT_TOKEN',
        'SLACK_SIGNING_SECRET',
        'WINS_CHANNEL',
      ].sort(),
    );
    expect(found).toContain('MARKETING_CHANNEL is required');
  });

  it('schedules the digest on Monday 09:00 UTC and checks SLAs every five minutes by default', () => {
    const config = loadConfig(valid);
    expect(config.schedule).toEqual({
      digestCron: '0 9 * * 1',
      timezone: 'UTC',
      slaCheckCron: '*/5 * * * *',
      campaignNoteCron: '30 8 * * 1',
    });
    expect(config.handoffSlaHours).toBe(24);
    expect(config.salesManagerUserId).toBeUndefined();
    expect(config.webhookSecret).toBeUndefined();
  });

  it('accepts 6-field cron, fractional SLA hours and IANA time zones, and refuses the rest', () => {
    const config = loadConfig({
      ...valid,
      DIGEST_CRON: '30 0 9 * * 1',
      DIGEST_TIMEZONE: 'Europe/Berlin',
      HANDOFF_SLA_HOURS: '0.5',
      SALES_MANAGER_USER_ID: 'U0BOSS001',
    });
    expect(config.schedule.digestCron).toBe('30 0 9 * * 1');
    expect(config.handoffSlaHours).toBe(0.5);
    const names = problems({
      ...valid,
      DIGEST_CRON: 'every monday',
      DIGEST_TIMEZONE: 'Mars/Olympus',
      HANDOFF_SLA_HOURS: '-1',
      SLA_CHECK_CRON: '* * *',
      SALES_MANAGER_USER_ID: '@boss',
      WEBHOOK_SECRET: 'short',
    }).map((p) => p.split(' ')[0]);
    expect(names.sort()).toEqual(
      [
        'DIGEST_CRON',
        'DIGEST_TIMEZONE',
        'HANDOFF_SLA_HOURS',
        'SALES_MANAGER_USER_ID',
        'SLA_CHECK_CRON',
        'WEBHOOK_SECRET',
      ].sort(),
    );
  });

  it('treats empty values as unset', () => {
    const config = loadConfig({ ...valid, DATABASE_URL: '', SLACK_APP_TOKEN: ' ' });
    expect(config.database.url).toBeUndefined();
    expect(config.slack.socketMode).toBe(false);
  });
});
