import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { parseCrmUserArg, parseUserArg, splitCommand } from '../../src/features/admin/schema.js';
import { configProblems, validEnv } from '../support/config-env.js';

const valid = validEnv;
const problems = configProblems;

describe('Salesforce, Pipedrive and admin configuration', () => {
  it('is off until set, with the documented defaults', () => {
    const config = loadConfig(valid);
    expect(config.salesforce).toBeUndefined();
    expect(config.pipedrive).toBeUndefined();
    expect(config.admins).toEqual([]);
    const on = loadConfig({
      ...valid,
      SALESFORCE_ORG_ID: '00D000000000001',
      SALESFORCE_TOKEN: 'a-long-enough-token',
      PIPEDRIVE_WEBHOOK_USER: 'hook',
      PIPEDRIVE_WEBHOOK_PASSWORD: 'password-0001',
      PIPEDRIVE_API_TOKEN: 'token',
      TANDEM_ADMINS: 'U0001, W0002',
    });
    expect(on.salesforce).toEqual({
      orgId: '00D000000000001',
      token: 'a-long-enough-token',
      api: undefined,
      campaignField: undefined,
      defaultCurrency: 'USD',
    });
    expect(on.pipedrive?.api).toEqual({ url: 'https://api.pipedrive.com', token: 'token' });
    expect(on.admins).toEqual(['U0001', 'W0002']);
    expect(Object.isFrozen(on.salesforce)).toBe(true);
  });

  it('lists every half-set group and bad value in one error', () => {
    expect(
      problems({
        ...valid,
        SALESFORCE_ORG_ID: '00Dshort',
        SALESFORCE_CLIENT_ID: 'id',
        PIPEDRIVE_WEBHOOK_USER: 'hook',
        TANDEM_ADMINS: 'alice',
        SALESFORCE_DEFAULT_CURRENCY: 'XXQ',
      }),
    ).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^SALESFORCE_ORG_ID must be a Salesforce org id/),
        expect.stringMatching(/^TANDEM_ADMINS must be Slack user ids/),
        expect.stringMatching(/^SALESFORCE_DEFAULT_CURRENCY must be an ISO 4217/),
        'SALESFORCE_TOKEN is required for the Salesforce connector (set both)',
        "SALESFORCE_INSTANCE_URL is required to read Salesforce owners' emails (set all three)",
        "SALESFORCE_CLIENT_SECRET is required to read Salesforce owners' emails (set all three)",
        'PIPEDRIVE_WEBHOOK_PASSWORD is required for the Pipedrive connector (set both)',
      ]),
    );
  });
});

describe('/tandem arguments', () => {
  it('takes users escaped by Slack or as bare ids, and nothing else', () => {
    expect(parseUserArg('<@U0123ABC|sam>')).toBe('U0123ABC');
    expect(parseUserArg('<@W0123ABC>')).toBe('W0123ABC');
    expect(parseUserArg('U0123ABC')).toBe('U0123ABC');
    expect(parseUserArg('@sam')).toBeUndefined();
    expect(parseUserArg('<#C0123|sales>')).toBeUndefined();
    expect(parseUserArg(undefined)).toBeUndefined();
  });

  it('takes a CRM id or an email, unwrapping Slack mailto links', () => {
    expect(parseCrmUserArg('<mailto:sam@x.example|sam@x.example>')).toBe('sam@x.example');
    expect(parseCrmUserArg('005000000000001AAA')).toBe('005000000000001AAA');
    expect(parseCrmUserArg('<script>')).toBeUndefined();
  });

  it('splits the subcommand from its arguments; nothing means help', () => {
    expect(splitCommand('  MAP  a   b ')).toEqual({ name: 'map', args: ['a', 'b'] });
    expect(splitCommand('')).toEqual({ name: 'help', args: [] });
  });
});
