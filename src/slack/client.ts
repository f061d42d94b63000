import {
  ErrorCode,
  LogLevel,
  type WebAPICallResult,
  WebAPIHTTPError,
  WebAPIPlatformError,
  WebAPIRateLimitedError,
  WebClient,
  type WebClientOptions,
} from '@slack/web-api';
import { boltLogger, type Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';

/** A WebClient that counts every call by method and result, and times it. */
class MeteredWebClient extends WebClient {
  constructor(
    token: string,
    options: WebClientOptions,
    private readonly metrics: Metrics,
  ) {
    super(token, options);
  }

  override async apiCall(method: string, options?: Record<string, unknown>): Promise<WebAPICallResult> {
    const stopTimer = this.metrics.slackCallSeconds.startTimer({ method });
    try {
      const result = await super.apiCall(method, serializeBlocks(options));
      this.metrics.slackCalls.inc({ method, result: 'ok' });
      return result;
    } catch (err) {
      this.metrics.slackCalls.inc({ method, result: slackErrorCode(err) });
      throw err;
    } finally {
      stopTimer();
    }
  }
}

/**
 * `view` and `blocks` as the JSON strings Slack receives them as. WebClient formats a debug line of every call's
 * arguments whatever the log level, copying them key by key to redact tokens on the way: for a modal, a deep copy
 * of the whole view per call. Given as a string, the view is copied as one string, and sent as the same bytes.
 */
function serializeBlocks(options: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!options) return options;
  let serialized: Record<string, unknown> | undefined;
  for (const key of ['view', 'blocks']) {
    const value = options[key];
    if (value !== null && typeof value === 'object') {
      serialized ??= { ...options };
      serialized[key] = JSON.stringify(value);
    }
  }
  return serialized ?? options;
}

export interface SlackClients {
  /** For answers to a person waiting on Slack (views.open, ephemeral replies): fails fast, retries a little. */
  interactive: WebClient;
  /** For the outbox worker: no retries of its own and 429s thrown, because the outbox schedules every retry. */
  delivery: WebClient;
}

export function createSlackClients(
  config: { botToken: string; apiUrl: string },
  logger: Logger,
  metrics: Metrics,
): SlackClients {
  const base: WebClientOptions = {
    slackApiUrl: config.apiUrl,
    logger: boltLogger(logger, 'web-api'),
    // Its per-attempt warnings are noise: callers log the outcome once.
    logLevel: LogLevel.ERROR,
  };
  return {
    interactive: new MeteredWebClient(
      config.botToken,
      {
        ...base,
        timeout: 5_000,
        rejectRateLimitedCalls: true,
        retryConfig: { retries: 2, factor: 1.5, minTimeout: 200, maxTimeout: 1_000 },
      },
      metrics,
    ),
    delivery: new MeteredWebClient(
      config.botToken,
      { ...base, timeout: 10_000, rejectRateLimitedCalls: true, retryConfig: { retries: 0 } },
      metrics,
    ),
  };
}

/** A short label for a failed call: Slack's own error code, `http_<status>`, `ratelimited` or `request_error`. */
export function slackErrorCode(err: unknown): string {
  if (err instanceof WebAPIPlatformError) return err.data.error;
  if (err instanceof WebAPIRateLimitedError) return 'ratelimited';
  if (err instanceof WebAPIHTTPError) return `http_${err.statusCode}`;
  if ((err as { code?: string })?.code === ErrorCode.RequestError) return 'request_error';
  return 'unknown_error';
}

/** Slack errors that no retry can fix: the row is marked failed at once. */
const PERMANENT_ERRORS = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'invalid_blocks',
  'invalid_blocks_format',
  'invalid_arguments',
  'invalid_attachments',
  'msg_too_long',
  'no_text',
  'too_many_attachments',
  'cant_update_message',
  'edit_window_closed',
  'message_not_found',
  'thread_not_found',
  'restricted_action',
  'user_not_found',
]);

/** True for a Slack answer that retrying cannot change (a missing channel, malformed blocks, …). */
export function isPermanentFailure(err: unknown): boolean {
  return err instanceof WebAPIPlatformError && PERMANENT_ERRORS.has(err.data.error);
}
