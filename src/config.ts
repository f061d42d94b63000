import './zod-setup.js';
import cron from 'node-cron';
import { z } from 'zod';

const channelId = z
  .string()
  .trim()
  .regex(/^[CGD][A-Z0-9]{2,}$/, 'must be a Slack channel id such as C0123456789 (not a #name)');

const optionalString = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

const cronExpression = z
  .string()
  .trim()
  .refine((expr) => cron.validate(expr), 'must be a cron expression (5 fields, or 6 with seconds)');

const currencyCodes = new Set(Intl.supportedValuesOf('currency'));

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const configSchema = z.object({
  SLACK_BOT_TOKEN: z.string().trim().startsWith('xoxb-', 'must be a bot token starting with xoxb-'),
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_APP_TOKEN: optionalString.pipe(
    z.string().startsWith('xapp-', 'must be an app-level token starting with xapp-').optional(),
  ),
  SLACK_API_URL: optionalString.pipe(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional()),
  DATABASE_URL: optionalString.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
      .optional(),
  ),
  DATA_DIR: z.string().trim().min(1).default('./data'),
  PORT: z.coerce
    .number({ error: 'must be a port number from 0 to 65535' })
    .int('must be a port number from 0 to 65535')
    .min(0, 'must be a port number from 0 to 65535')
    .max(65535, 'must be a port number from 0 to 65535')
    .default(3000),
  SALES_CHANNEL: channelId,
  MARKETING_CHANNEL: channelId,
  WINS_CHANNEL: channelId,
  DIGEST_CHANNEL: channelId,
  DIGEST_CRON: cronExpression.default('0 9 * * 1'),
  CAMPAIGN_NOTE_CRON: cronExpression.default('30 8 * * 1'),
  DIGEST_TIMEZONE: z
    .string()
    .trim()
    .refine(isTimeZone, 'must be an IANA time zone such as UTC or Europe/Berlin')
    .default('UTC'),
  HANDOFF_SLA_HOURS: z.coerce
    .number({ error: 'must be a number of hours, e.g. 24 or 0.5' })
    .positive('must be more than 0')
    .default(24),
  SLA_CHECK_CRON: cronExpression.default('*/5 * * * *'),
  SALES_MANAGER_USER_ID: optionalString.pipe(
    z
      .string()
      .regex(/^[UW][A-Z0-9]{2,}$/, 'must be a Slack user id such as U0123ABCD')
      .optional(),
  ),
  TANDEM_ADMINS: optionalString.pipe(
    z
      .string()
      .transform((list) =>
        list
          .split(',')
          .map((id) => id.trim())
          .filter(Boolean),
      )
      .pipe(
        z.array(z.string().regex(/^[UW][A-Z0-9]{2,}$/, 'must be Slack user ids such as U0123ABCD, comma-separated')),
      )
      .optional(),
  ),
  SLACK_POST_RATE: z.coerce
    .number({ error: 'must be posts per second, e.g. 1 (0 turns pacing off)' })
    .min(0, 'must be 0 or more')
    .default(1),
  SLACK_POST_BURST: z.coerce
    .number({ error: 'must be a whole number' })
    .int('must be a whole number')
    .min(1)
    .default(10),
  WEBHOOK_SECRET: optionalString.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
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
  HUBSPOT_DEFAULT_CURRENCY: optionalString.pipe(
    z
      .string()
      .toUpperCase()
      .refine((c) => currencyCodes.has(c), 'must be an ISO 4217 currency code such as USD or EUR')
      .default('USD'),
  ),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

type Env = z.output<typeof configSchema>;

export interface Config {
  readonly slack: {
    readonly botToken: string;
    readonly signingSecret: string | undefined;
    readonly appToken: string | undefined;
    /** Web API base URL with a trailing slash, as WebClient expects. */
    readonly apiUrl: string;
    readonly socketMode: boolean;
    /** Posts per second per channel (0: unpaced) and the burst allowed, across all replicas. */
    readonly postPace: { readonly rate: number; readonly burst: number };
  };
  readonly database: { readonly url: string | undefined; readonly dataDir: string };
  readonly port: number;
  readonly channels: {
    readonly sales: string;
    readonly marketing: string;
    readonly wins: string;
    readonly digest: string;
  };
  readonly schedule: {
    /** When the weekly digest is posted, in `timezone`. */
    readonly digestCron: string;
    readonly timezone: string;
    /** How often pending handoffs are checked against the SLA. */
    readonly slaCheckCron: string;
    /** When the weekly campaign note goes to the sales channel, in `timezone`. */
    readonly campaignNoteCron: string;
  };
  /** A handoff still pending this long gets a reminder; twice this long, an escalation. */
  readonly handoffSlaHours: number;
  /** Mentioned in SLA escalations when set. */
  readonly salesManagerUserId: string | undefined;
  /** Slack user ids of Tandem's admins (TANDEM_ADMINS); they see the managers' App Home too. */
  readonly admins: readonly string[];
  /** Authenticates the CRM's webhooks; without it the webhook routes answer 503. */
  readonly webhookSecret: string | undefined;
  /** Tandem's public base URL (no trailing slash): CRMs sign the URL they called, which a proxy changes. */
  readonly publicUrl: string | undefined;
  /** The HubSpot connector; undefined (and /connectors/hubspot answering 503) until its client secret is set. */
  readonly hubspot: HubSpotConfig | undefined;
  readonly logLevel: Env['LOG_LEVEL'];
}

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

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Tandem cannot start; fix these environment variables:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment once, listing every bad or missing variable in one error. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(env);
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((issue) => {
        const name = issue.path.join('.') || '(environment)';
        const message = issue.code === 'invalid_type' && env[name] === undefined ? 'is required' : issue.message;
        return `${name} ${message}`;
      });
  // Checked on the raw values so that it is reported together with every other problem.
  if (!env.SLACK_APP_TOKEN?.trim() && !env.SLACK_SIGNING_SECRET?.trim()) {
    problems.push('SLACK_SIGNING_SECRET is required in HTTP mode (or set SLACK_APP_TOKEN to use Socket Mode)');
  }
  if (env.HUBSPOT_CLIENT_SECRET?.trim()) {
    for (const name of ['HUBSPOT_ACCESS_TOKEN', 'PUBLIC_URL']) {
      if (!env[name]?.trim()) problems.push(`${name} is required when HUBSPOT_CLIENT_SECRET is set`);
    }
  }
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const e = parsed.data;
  const publicUrl = e.PUBLIC_URL?.replace(/\/+$/, '');
  const apiUrl = e.SLACK_API_URL ?? 'https://slack.com/api/';
  return deepFreeze({
    slack: {
      botToken: e.SLACK_BOT_TOKEN,
      signingSecret: e.SLACK_SIGNING_SECRET,
      appToken: e.SLACK_APP_TOKEN,
      apiUrl: apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`,
      socketMode: e.SLACK_APP_TOKEN !== undefined,
      postPace: { rate: e.SLACK_POST_RATE, burst: e.SLACK_POST_BURST },
    },
    database: { url: e.DATABASE_URL, dataDir: e.DATA_DIR },
    port: e.PORT,
    channels: {
      sales: e.SALES_CHANNEL,
      marketing: e.MARKETING_CHANNEL,
      wins: e.WINS_CHANNEL,
      digest: e.DIGEST_CHANNEL,
    },
    schedule: {
      digestCron: e.DIGEST_CRON,
      timezone: e.DIGEST_TIMEZONE,
      slaCheckCron: e.SLA_CHECK_CRON,
      campaignNoteCron: e.CAMPAIGN_NOTE_CRON,
    },
    handoffSlaHours: e.HANDOFF_SLA_HOURS,
    salesManagerUserId: e.SALES_MANAGER_USER_ID,
    admins: e.TANDEM_ADMINS ?? [],
    webhookSecret: e.WEBHOOK_SECRET,
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
    logLevel: e.LOG_LEVEL,
  });
}

function handoffTrigger(value: string): HubSpotHandoffTrigger {
  return value.startsWith('lifecyclestage:')
    ? { kind: 'lifecyclestage', stage: value.slice('lifecyclestage:'.length) }
    : { kind: 'owner' };
}

function deepFreeze<T extends object>(value: T): T {
  for (const child of Object.values(value)) {
    if (child && typeof child === 'object') deepFreeze(child);
  }
  return Object.freeze(value);
}
