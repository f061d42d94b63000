import { type Logger as BoltLogger, LogLevel } from '@slack/bolt';
import { type Logger, pino } from 'pino';

export type { Logger } from 'pino';

/**
 * Paths pino blanks wherever they appear in a log object. Slack tokens and secrets can ride along in
 * error objects (WebClient errors carry request data) and in config, so both shapes are covered.
 */
const REDACT_PATHS = [
  'token',
  '*.token',
  'botToken',
  '*.botToken',
  'appToken',
  '*.appToken',
  'signingSecret',
  '*.signingSecret',
  'authorization',
  '*.authorization',
  '*.headers.authorization',
  '*.headers["x-slack-signature"]',
  'config.slack',
  'accessToken',
  '*.accessToken',
  'clientSecret',
  '*.clientSecret',
  'config.hubspot',
  'webhookSecrets',
  '*.webhookSecrets',
  'digestApiToken',
  '*.digestApiToken',
];

/** Slack token shapes: scrubbed from free-text messages that pino's path redaction cannot see. */
const TOKEN_PATTERN = /\b(xox[abpors]|xapp)-[A-Za-z0-9-]+/g;

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'tandem' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      hooks: {
        logMethod(args, method) {
          const scrubbed = args.map((arg) =>
            typeof arg === 'string' ? arg.replace(TOKEN_PATTERN, '$1-[redacted]') : arg,
          );
          method.apply(this, scrubbed as Parameters<typeof method>);
        },
      },
    },
    destination,
  );
}

const boltToPino: Record<LogLevel, string> = {
  [LogLevel.DEBUG]: 'debug',
  [LogLevel.INFO]: 'info',
  [LogLevel.WARN]: 'warn',
  [LogLevel.ERROR]: 'error',
};

/** Bolt and the Slack SDKs log through this, so their lines are pino JSON like ours. */
export function boltLogger(root: Logger, name = 'slack'): BoltLogger {
  let logger = root.child({ component: name });
  const write = (level: 'debug' | 'info' | 'warn' | 'error', msgs: unknown[]) => {
    const [first, ...rest] = msgs;
    if (first instanceof Error) logger[level]({ err: first }, rest.map(String).join(' ') || first.message);
    else logger[level](msgs.map((m) => (typeof m === 'string' ? m : JSON.stringify(m))).join(' '));
  };
  return {
    debug: (...msgs) => write('debug', msgs),
    info: (...msgs) => write('info', msgs),
    warn: (...msgs) => write('warn', msgs),
    error: (...msgs) => write('error', msgs),
    setLevel: (level) => {
      logger.level = boltToPino[level];
    },
    getLevel: () => {
      const entry = Object.entries(boltToPino).find(([, pinoLevel]) => pinoLevel === logger.level);
      return (entry?.[0] as LogLevel | undefined) ?? LogLevel.INFO;
    },
    setName: (newName) => {
      logger = root.child({ component: newName });
    },
  };
}
