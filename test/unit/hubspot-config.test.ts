import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { configProblems, validEnv } from '../support/config-env.js';

const valid = validEnv;
const problems = configProblems;

describe('HubSpot configuration', () => {
  it('is off until the client secret is set', () => {
    expect(loadConfig(valid).hubspot).toBeUndefined();
    expect(loadConfig({ ...valid, HUBSPOT_CLIENT_SECRET: ' ' }).hubspot).toBeUndefined();
  });

  it('applies the documented defaults', () => {
    const config = loadConfig({
      ...valid,
      HUBSPOT_CLIENT_SECRET: 'client-secret',
      HUBSPOT_ACCESS_TOKEN: 'pat-na1-token',
      PUBLIC_URL: 'https://tandem.example.com/',
    });
    expect(config.hubspot).toEqual({
      clientSecret: 'client-secret',
      accessToken: 'pat-na1-token',
      apiUrl: 'https://api.hubapi.com',
      publicUrl: 'https://tandem.example.com',
      campaignProperty: 'hs_analytics_source_data_1',
      handoffTrigger: { kind: 'owner' },
      defaultCurrency: 'USD',
    });
    expect(Object.isFrozen(config.hubspot)).toBe(true);
  });

  it('reads a lifecycle-stage trigger, a campaign property and a currency', () => {
    const hubspot = loadConfig({
      ...valid,
      HUBSPOT_CLIENT_SECRET: 'client-secret',
      HUBSPOT_ACCESS_TOKEN: 'pat-na1-token',
      PUBLIC_URL: 'https://tandem.example.com',
      HUBSPOT_API_URL: 'http://127.0.0.1:9999/',
      HUBSPOT_HANDOFF_TRIGGER: 'lifecyclestage:salesqualifiedlead',
      HUBSPOT_CAMPAIGN_PROPERTY: 'utm_campaign',
      HUBSPOT_DEFAULT_CURRENCY: 'eur',
    }).hubspot;
    expect(hubspot).toMatchObject({
      apiUrl: 'http://127.0.0.1:9999',
      handoffTrigger: { kind: 'lifecyclestage', stage: 'salesqualifiedlead' },
      campaignProperty: 'utm_campaign',
      defaultCurrency: 'EUR',
    });
  });

  it('names the token and PUBLIC_URL when the secret is set without them, with every other problem', () => {
    const names = problems({
      ...valid,
      HUBSPOT_CLIENT_SECRET: 'client-secret',
      HUBSPOT_HANDOFF_TRIGGER: 'stage',
      HUBSPOT_DEFAULT_CURRENCY: 'dollars',
      HUBSPOT_API_URL: 'ftp://x',
    }).map((p) => p.split(' ')[0]);
    expect(names.sort()).toEqual(
      [
        'HUBSPOT_ACCESS_TOKEN',
        'HUBSPOT_API_URL',
        'HUBSPOT_DEFAULT_CURRENCY',
        'HUBSPOT_HANDOFF_TRIGGER',
        'PUBLIC_URL',
      ].sort(),
    );
  });
});
