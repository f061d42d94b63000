import type { IncomingMessage, ServerResponse } from 'node:http';
import { App, type Context, ErrorCode, HTTPReceiver, type Receiver, SocketModeReceiver } from '@slack/bolt';
import type { Config } from '../config.js';
import { boltLogger, type Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import { BotIdentity } from './bot-identity.js';
import type { SlackClients } from './client.js';
import { reportListenerError } from './errors.js';

export interface SlackApp {
  app: App;
  /** Serves `POST /slack/events` in HTTP mode; undefined in Socket Mode. */
  handleRequest: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  /** Connects what needs connecting in the background (auth.test, the Socket Mode websocket); never rejects. */
  start(): void;
  stop(): Promise<void>;
}

export const REQUEST_ID_HEADER = 'x-request-id';

/** The logger for one Slack request, carrying its request id (set by the middleware below). */
export function requestLogger(context: Context): Logger {
  return context.logger as Logger;
}

export function createSlackApp(config: Config, logger: Logger, metrics: Metrics, clients: SlackClients): SlackApp {
  const log = logger.child({ component: 'bolt' });
  const slackLogger = boltLogger(logger, 'bolt');
  const identity = new BotIdentity(clients.interactive, logger.child({ component: 'slack' }));
  const clientOptions = { slackApiUrl: config.slack.apiUrl };

  let receiver: Receiver;
  let handleRequest: SlackApp['handleRequest'];
  if (config.slack.socketMode) {
    receiver = new SocketModeReceiver({
      appToken: config.slack.appToken as string,
      logger: slackLogger,
      installerOptions: { clientOptions },
    });
  } else {
    const http = new HTTPReceiver({
      signingSecret: config.slack.signingSecret as string,
      endpoints: '/slack/events',
      logger: slackLogger,
      processBeforeResponse: false,
      customPropertiesExtractor: (req) => ({ requestId: String(req.headers[REQUEST_ID_HEADER] ?? '') }),
      // Bolt answers 500 when it cannot process a payload at all (a block_actions without actions, say). Our
      // listeners ack before any work, so an error that arrives unanswered means the request was malformed.
      processEventErrorHandler: async ({ error, response }) => {
        if (response.headersSent) return false;
        const authorization = (error as { code?: string }).code === ErrorCode.AuthorizationError;
        log.warn({ err: error }, authorization ? 'request not authorised' : 'malformed Slack request refused');
        response.writeHead(authorization ? 401 : 400);
        response.end();
        return true;
      },
    });
    receiver = http;
    handleRequest = http.requestListener;
  }

  const app = new App({
    receiver,
    logger: slackLogger,
    clientOptions,
    extendedErrorHandler: true,
    // Tandem keeps no conversation state: Bolt's default store would reject a look-up (an Error with its stack) per
    // request for nothing.
    convoStore: false,
    // Our own authorize: Bolt's built-in one caches a failed auth.test forever (see BotIdentity).
    authorize: async () => ({ botToken: config.slack.botToken, ...identity.current }),
  });

  app.use(async ({ body, context, next }) => {
    const requestId = (context.requestId as string | undefined) || (body as { event_id?: string }).event_id;
    // Made when first used: a pino child serialises and redacts its bindings, and most requests log nothing.
    let child: Logger | undefined;
    Object.defineProperty(context, 'logger', {
      get: () => (child ??= log.child({ requestId, kind: requestKind(body), user: context.userId })),
      enumerable: true,
    });
    await next();
  });
  meterAcks(app, metrics);
  app.error(async (args: Parameters<typeof reportListenerError>[0]) => reportListenerError(args, log));

  let stopped = false;
  return {
    app,
    handleRequest,
    start() {
      identity.start();
      if (!config.slack.socketMode) return;
      const connect = async (attempt: number): Promise<void> => {
        try {
          await app.start();
          log.info('Socket Mode connected');
        } catch (err) {
          if (stopped) return;
          const delay = Math.min(60_000, 1_000 * 2 ** Math.min(attempt, 6));
          log.warn({ err, retryInMs: delay }, 'Socket Mode could not connect; retrying');
          await new Promise((resolve) => setTimeout(resolve, delay).unref());
          if (!stopped) return connect(attempt + 1);
        }
      };
      // Never rejects: every failure is logged and retried until stop().
      void connect(0);
    },
    async stop() {
      stopped = true;
      identity.stop();
      if (config.slack.socketMode) {
        await app.stop().catch((err) => log.warn({ err }, 'Socket Mode did not disconnect cleanly'));
      }
    },
  };
}

/**
 * Times every ack from the moment the receiver (HTTP or Socket Mode) hands the request over. Middleware cannot
 * do this: Bolt gives each middleware a copy of the arguments, so a wrapped `ack` would not reach listeners.
 */
function meterAcks(app: App, metrics: Metrics): void {
  const processEvent = app.processEvent.bind(app);
  app.processEvent = (event) => {
    const received = process.hrtime.bigint();
    const kind = requestKind(event.body);
    return processEvent({
      ...event,
      ack: async (response) => {
        await event.ack(response);
        metrics.slackAcks.inc({ kind });
        metrics.slackAckSeconds.observe({ kind }, Number(process.hrtime.bigint() - received) / 1e9);
      },
    });
  };
}

function requestKind(body: { type?: string; command?: string }): string {
  if (body.command) return 'command';
  switch (body.type) {
    case 'block_actions':
      return 'action';
    case 'view_submission':
    case 'view_closed':
      return body.type;
    case 'block_suggestion':
      return 'options';
    case 'event_callback':
      return 'event';
    default:
      return body.type ?? 'unknown';
  }
}
