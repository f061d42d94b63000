import { z } from 'zod';
import type { HubSpotConfig, PipedriveConfig, SalesforceConfig } from './config/connectors.js';
import { connectorConfig, connectorEnv, connectorProblems } from './config/connectors.js';
import {
  channelId,
  cronExpression,
  deepFreeze,
  isTimeZone,
  nonEmpty,
  optionalString,
  portNumber,
  slackIdList,
} from './config/fields.js';
import { type RoutingConfig, routingConfig, routingEnv } from './config/routing.js';

export type { HubSpotConfig, HubSpotHandoffTrigger, PipedriveConfig, SalesforceConfig } from './config/connectors.js';

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
  PORT: portNumber.default(3000),
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
  RETENTION_DAYS: z.coerce
    .number({ error: 'must be a whole number of days, e.g. 90' })
    .int('must be a whole number of days, e.g. 90')
    .min(1, 'must be at least 1')
    .default(90),
  RETENTION_CRON: cronExpression.default('30 3 * * *'),
  DIGEST_API_TIMEOUT_SECONDS: z.coerce
    .number({ error: 'must be a number of seconds, e.g. 20' })
    .positive('must be more than 0')
    .max(300, 'must be 300 or less')
    .default(20),
  SALES_MANAGER_USER_ID: optionalString.pipe(
    z
      .string()
      .regex(/^[UW][A-Z0-9]{2,}$/, 'must be a Slack user id such as U0123ABCD')
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
  // Two secrets during a rotation: the sender switches to the new one while the old one still works.
  WEBHOOK_SECRET: optionalString.pipe(
    z
      .string()
      .transform((value) => value.split(',').map((secret) => secret.trim()))
      .pipe(
        z
          .array(z.string())
          .refine((secrets) => secrets.every((secret) => secret.length >= 16), 'must be at least 16 characters each')
          .refine((secrets) => secrets.length <= 2, 'must hold at most two comma-separated secrets (new and old)'),
      )
      .optional(),
  ),
  WEBHOOK_ALLOW_BEARER: optionalString.pipe(
    z
      .enum(['true', 'false'], { error: 'must be true or false' })
      .default('false')
      .transform((v) => v === 'true'),
  ),
  DIGEST_API_TOKEN: optionalString.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
  CAMPAIGN_POSTERS: slackIdList,
  DIGEST_VIEWERS: slackIdList,
  TANDEM_ADMINS: optionalString.pipe(
    z
      .string()
      .regex(
        /^[UW][A-Z0-9]{2,}(\s*,\s*[UW][A-Z0-9]{2,})*$/,
        'must be Slack user ids separated by commas, e.g. U0123,U0456',
      )
      .optional(),
  ),
  ...connectorEnv,
  ...routingEnv,
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
    /** When delivered posts and processed CRM events past the retention window are removed (daily). */
    readonly retentionCron: string;
    /** When the weekly campaign note goes to the sales channel, in `timezone`. */
    readonly campaignNoteCron: string;
  };
  /** Days delivered Slack posts and processed CRM events (which hold names, emails, comments) are kept. */
  readonly retentionDays: number;
  /** A handoff still pending this long gets a reminder; twice this long, an escalation. */
  readonly handoffSlaHours: number;
  /** How long one `GET /api/digest` computation may run in the database before it is cancelled. */
  readonly digestApiTimeoutMs: number;
  /** Mentioned in SLA escalations when set. */
  readonly salesManagerUserId: string | undefined;
  /** Authenticate the CRM's webhooks (one, or two during a rotation); empty: the webhook routes answer 503. */
  readonly webhookSecrets: readonly string[];
  /** Whether `Authorization: Bearer <secret>` is accepted for webhooks besides signatures (off by default). */
  readonly webhookAllowBearer: boolean;
  /** Read-only token of GET /api/digest; without it the route answers 503. */
  readonly digestApiToken: string | undefined;
  /** Who may do what; undefined: anyone in the workspace. */
  readonly access: {
    /** Users and user groups who may run /campaign (it posts to the sales channel as the bot). */
    readonly campaignPosters: readonly string[] | undefined;
    /** Users and user groups who may run /digest (it shows company revenue). */
    readonly digestViewers: readonly string[] | undefined;
  };
  /** Tandem's public base URL (no trailing slash): CRMs sign the URL they called, which a proxy changes. */
  readonly publicUrl: string | undefined;
  /** The HubSpot connector; undefined (and /connectors/hubspot answering 503) until its client secret is set. */
  readonly hubspot: HubSpotConfig | undefined;
  /** Salesforce Outbound Messages; undefined (and /connectors/salesforce answering 503) until org and token are set. */
  readonly salesforce: SalesforceConfig | undefined;
  /** Pipedrive webhooks v2; undefined (503) until the webhook's Basic auth credentials are set. */
  readonly pipedrive: PipedriveConfig | undefined;
  readonly routing: RoutingConfig;
  /** TANDEM_ADMINS: may map CRM owners (workspace admins and owners may too), and see the managers' App Home. */
  readonly admins: readonly string[];
  readonly logLevel: Env['LOG_LEVEL'];
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
  const webhookSecrets = (env.WEBHOOK_SECRET ?? '').split(',').map((secret) => secret.trim());
  if (env.WEBHOOK_ALLOW_BEARER?.trim() === 'true' && !env.WEBHOOK_SECRET?.trim()) {
    problems.push('WEBHOOK_ALLOW_BEARER needs WEBHOOK_SECRET (the bearer token is the secret)');
  }
  const digestToken = env.DIGEST_API_TOKEN?.trim();
  if (digestToken && webhookSecrets.includes(digestToken)) {
    // A read token that also forges events is no read-only token.
    problems.push('DIGEST_API_TOKEN must differ from every WEBHOOK_SECRET');
  }
  problems.push(...connectorProblems(env));
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const e = parsed.data;
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
      retentionCron: e.RETENTION_CRON,
      campaignNoteCron: e.CAMPAIGN_NOTE_CRON,
    },
    retentionDays: e.RETENTION_DAYS,
    handoffSlaHours: e.HANDOFF_SLA_HOURS,
    digestApiTimeoutMs: Math.max(1, Math.round(e.DIGEST_API_TIMEOUT_SECONDS * 1000)),
    salesManagerUserId: e.SALES_MANAGER_USER_ID,
    webhookSecrets: e.WEBHOOK_SECRET ?? [],
    webhookAllowBearer: e.WEBHOOK_ALLOW_BEARER,
    digestApiToken: e.DIGEST_API_TOKEN,
    access: { campaignPosters: nonEmpty(e.CAMPAIGN_POSTERS), digestViewers: nonEmpty(e.DIGEST_VIEWERS) },
    ...connectorConfig(e),
    routing: routingConfig(e),

    admins: e.TANDEM_ADMINS ? e.TANDEM_ADMINS.split(',').map((id) => id.trim()) : [],
    logLevel: e.LOG_LEVEL,
  });
}
