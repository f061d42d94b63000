import { z } from 'zod';
import { currency, optionalString } from './fields.js';

/** The CRM connectors' settings: each connector is off (its route answers 503) until its credentials are set. */
export const connectorEnv = {
  PUBLIC_URL: optionalString.pipe(
    z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://tandem.example.com' }).optional(),
  ),
  HUBSPOT_CLIENT_SECRET: optionalString,
  HUBSPOT_ACCESS_TOKEN: optionalString,
  HUBSPOT_API_URL: optionalString.pipe(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional()),
  // Original source drill-down 1: a default property in every portal; see the README for why.
  HUBSPOT_CAMPAIGN_PROPERTY: optionalString.pipe(
    z
      .string()
      .regex(/^[a-z0-9_]{1,100}$/, 'must be a HubSpot property internal name such as utm_campaign')
      .default('hs_analytics_source_data_1'),
  ),
  HUBSPOT_HANDOFF_TRIGGER: optionalString.pipe(
    z
      .string()
      .regex(/^(owner|lifecyclestage:[a-z0-9_]+)$/, 'must be owner or lifecyclestage:<value>')
      .default('owner'),
  ),
  HUBSPOT_DEFAULT_CURRENCY: optionalString.pipe(currency),
  SALESFORCE_ORG_ID: optionalString.pipe(
    z
      .string()
      .regex(/^00D[a-zA-Z0-9]{12}([a-zA-Z0-9]{3})?$/, 'must be a Salesforce org id (15 or 18 characters, 00D…)')
      .optional(),
  ),
  SALESFORCE_TOKEN: optionalString.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
  SALESFORCE_INSTANCE_URL: optionalString.pipe(
    z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  ),
  SALESFORCE_CLIENT_ID: optionalString,
  SALESFORCE_CLIENT_SECRET: optionalString,
  SALESFORCE_CAMPAIGN_FIELD: optionalString.pipe(
    z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9_]{0,79}$/, 'must be a Salesforce field API name such as Campaign_Code__c')
      .optional(),
  ),
  SALESFORCE_DEFAULT_CURRENCY: optionalString.pipe(currency),
  PIPEDRIVE_WEBHOOK_USER: optionalString,
  PIPEDRIVE_WEBHOOK_PASSWORD: optionalString.pipe(z.string().min(12, 'must be at least 12 characters').optional()),
  PIPEDRIVE_API_TOKEN: optionalString,
  PIPEDRIVE_API_URL: optionalString.pipe(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional()),
};

type ConnectorEnv = z.output<z.ZodObject<typeof connectorEnv>>;

/** What makes a HubSpot contact a lead handoff: an owner, or reaching a lifecycle stage (with an owner). */
export type HubSpotHandoffTrigger = { kind: 'owner' } | { kind: 'lifecyclestage'; stage: string };

export interface HubSpotConfig {
  readonly clientSecret: string;
  readonly accessToken: string;
  /** API base URL without a trailing slash. */
  readonly apiUrl: string;
  readonly publicUrl: string;
  readonly campaignProperty: string;
  readonly handoffTrigger: HubSpotHandoffTrigger;
  readonly defaultCurrency: string;
}

export interface SalesforceConfig {
  /** Compared by its first 15 characters: Salesforce sends the 18-character form, admins may paste either. */
  readonly orgId: string;
  readonly token: string;
  /** OAuth client credentials for reading owners' User records; undefined: owners are known by id only. */
  readonly api: { readonly instanceUrl: string; readonly clientId: string; readonly clientSecret: string } | undefined;
  readonly campaignField: string | undefined;
  readonly defaultCurrency: string;
}

export interface PipedriveConfig {
  readonly user: string;
  readonly password: string;
  /** For reading owners' emails (`GET /v1/users/{id}`); undefined: owners are known by id only. */
  readonly api: { readonly url: string; readonly token: string } | undefined;
}

/** What is missing for a connector that is half set up, reported with every other problem. */
export function connectorProblems(env: NodeJS.ProcessEnv): string[] {
  const problems: string[] = [];
  if (env.HUBSPOT_CLIENT_SECRET?.trim()) {
    for (const name of ['HUBSPOT_ACCESS_TOKEN', 'PUBLIC_URL']) {
      if (!env[name]?.trim()) problems.push(`${name} is required when HUBSPOT_CLIENT_SECRET is set`);
    }
  }
  const together = (names: string[], why: string) => {
    const set = names.filter((n) => env[n]?.trim());
    if (set.length > 0 && set.length < names.length) {
      for (const n of names) if (!env[n]?.trim()) problems.push(`${n} is required ${why}`);
    }
  };
  together(['SALESFORCE_ORG_ID', 'SALESFORCE_TOKEN'], 'for the Salesforce connector (set both)');
  together(
    ['SALESFORCE_INSTANCE_URL', 'SALESFORCE_CLIENT_ID', 'SALESFORCE_CLIENT_SECRET'],
    "to read Salesforce owners' emails (set all three)",
  );
  together(['PIPEDRIVE_WEBHOOK_USER', 'PIPEDRIVE_WEBHOOK_PASSWORD'], 'for the Pipedrive connector (set both)');
  return problems;
}

/** The connectors' part of the frozen config, from the parsed environment. */
export function connectorConfig(e: ConnectorEnv) {
  const publicUrl = e.PUBLIC_URL?.replace(/\/+$/, '');
  return {
    publicUrl,
    hubspot:
      e.HUBSPOT_CLIENT_SECRET && e.HUBSPOT_ACCESS_TOKEN && publicUrl
        ? {
            clientSecret: e.HUBSPOT_CLIENT_SECRET,
            accessToken: e.HUBSPOT_ACCESS_TOKEN,
            apiUrl: (e.HUBSPOT_API_URL ?? 'https://api.hubapi.com').replace(/\/+$/, ''),
            publicUrl,
            campaignProperty: e.HUBSPOT_CAMPAIGN_PROPERTY,
            handoffTrigger: handoffTrigger(e.HUBSPOT_HANDOFF_TRIGGER),
            defaultCurrency: e.HUBSPOT_DEFAULT_CURRENCY,
          }
        : undefined,
    salesforce:
      e.SALESFORCE_ORG_ID && e.SALESFORCE_TOKEN
        ? {
            orgId: e.SALESFORCE_ORG_ID,
            token: e.SALESFORCE_TOKEN,
            api:
              e.SALESFORCE_INSTANCE_URL && e.SALESFORCE_CLIENT_ID && e.SALESFORCE_CLIENT_SECRET
                ? {
                    instanceUrl: e.SALESFORCE_INSTANCE_URL.replace(/\/+$/, ''),
                    clientId: e.SALESFORCE_CLIENT_ID,
                    clientSecret: e.SALESFORCE_CLIENT_SECRET,
                  }
                : undefined,
            campaignField: e.SALESFORCE_CAMPAIGN_FIELD,
            defaultCurrency: e.SALESFORCE_DEFAULT_CURRENCY,
          }
        : undefined,
    pipedrive:
      e.PIPEDRIVE_WEBHOOK_USER && e.PIPEDRIVE_WEBHOOK_PASSWORD
        ? {
            user: e.PIPEDRIVE_WEBHOOK_USER,
            password: e.PIPEDRIVE_WEBHOOK_PASSWORD,
            api: e.PIPEDRIVE_API_TOKEN
              ? {
                  url: (e.PIPEDRIVE_API_URL ?? 'https://api.pipedrive.com').replace(/\/+$/, ''),
                  token: e.PIPEDRIVE_API_TOKEN,
                }
              : undefined,
          }
        : undefined,
  };
}

function handoffTrigger(value: string): HubSpotHandoffTrigger {
  return value.startsWith('lifecyclestage:')
    ? { kind: 'lifecyclestage', stage: value.slice('lifecyclestage:'.length) }
    : { kind: 'owner' };
}
