import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { configProblems, validEnv } from '../support/config-env.js';

const valid = validEnv;
const problems = configProblems;

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

  it('schedules the digest on Monday 09:00 UTC, SLA checks every five minutes and retention daily by default', () => {
    const config = loadConfig(valid);
    expect(config.schedule).toEqual({
      digestCron: '0 9 * * 1',
      timezone: 'UTC',
      slaCheckCron: '*/5 * * * *',
      retentionCron: '30 3 * * *',
      campaignNoteCron: '30 8 * * 1',
    });
    expect(config.retentionDays).toBe(90);
    expect(config.digestApiTimeoutMs).toBe(20_000);
    expect(config.handoffSlaHours).toBe(24);
    expect(config.salesManagerUserId).toBeUndefined();
    expect(config.webhookSecrets).toEqual([]);
    expect(config.webhookAllowBearer).toBe(false);
    expect(config.digestApiToken).toBeUndefined();
    expect(config.access).toEqual({ campaignPosters: undefined, digestViewers: undefined });
  });

  it('refuses a retention window that is not a whole number of days', () => {
    for (const days of ['0', '-5', '1.5', 'ninety']) {
      expect(() => loadConfig({ ...valid, RETENTION_DAYS: days })).toThrow(/RETENTION_DAYS/);
    }
    expect(loadConfig({ ...valid, RETENTION_DAYS: '30' }).retentionDays).toBe(30);
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

  it('takes two comma-separated webhook secrets for a rotation, and no more', () => {
    const config = loadConfig({ ...valid, WEBHOOK_SECRET: ' new-secret-0123456789 , old-secret-0123456789 ' });
    expect(config.webhookSecrets).toEqual(['new-secret-0123456789', 'old-secret-0123456789']);
    expect(Object.isFrozen(config.webhookSecrets)).toBe(true);
    const three = 'a-secret-0123456789,b-secret-0123456789,c-secret-0123456789';
    expect(problems({ ...valid, WEBHOOK_SECRET: three })).toEqual([
      'WEBHOOK_SECRET must hold at most two comma-separated secrets (new and old)',
    ]);
    expect(problems({ ...valid, WEBHOOK_SECRET: 'a-secret-0123456789,short' })).toEqual([
      'WEBHOOK_SECRET must be at least 16 characters each',
    ]);
  });

  it('accepts webhook bearer tokens only when asked, and only with a secret', () => {
    expect(loadConfig({ ...valid, WEBHOOK_SECRET: 'a-secret-0123456789', WEBHOOK_ALLOW_BEARER: 'true' })).toMatchObject(
      { webhookAllowBearer: true },
    );
    expect(problems({ ...valid, WEBHOOK_ALLOW_BEARER: 'yes' })).toEqual(['WEBHOOK_ALLOW_BEARER must be true or false']);
    expect(problems({ ...valid, WEBHOOK_ALLOW_BEARER: 'true' })).toEqual([
      'WEBHOOK_ALLOW_BEARER needs WEBHOOK_SECRET (the bearer token is the secret)',
    ]);
  });

  it('gives /api/digest a token of its own that cannot also be a webhook secret', () => {
    expect(loadConfig({ ...valid, DIGEST_API_TOKEN: 'digest-token-0123456789' }).digestApiToken).toBe(
      'digest-token-0123456789',
    );
    expect(problems({ ...valid, DIGEST_API_TOKEN: 'short' })).toEqual([
      'DIGEST_API_TOKEN must be at least 16 characters',
    ]);
    const shared = {
      ...valid,
      WEBHOOK_SECRET: 'old-secret-0123456789,shared-0123456789',
      DIGEST_API_TOKEN: 'shared-0123456789',
    };
    expect(problems(shared)).toEqual(['DIGEST_API_TOKEN must differ from every WEBHOOK_SECRET']);
  });

  it('restricts /campaign and /digest to listed users and user groups, and checks the ids', () => {
    const config = loadConfig({ ...valid, CAMPAIGN_POSTERS: 'U0MKT0001, S0MARKETING', DIGEST_VIEWERS: ' ' });
    expect(config.access).toEqual({ campaignPosters: ['U0MKT0001', 'S0MARKETING'], digestViewers: undefined });
    const names = problems({ ...valid, CAMPAIGN_POSTERS: '@marketing', DIGEST_VIEWERS: 'U0CEO0001,#exec' });
    expect(names.map((p) => p.split(' ')[0]).sort()).toEqual(['CAMPAIGN_POSTERS', 'DIGEST_VIEWERS']);
  });
});
