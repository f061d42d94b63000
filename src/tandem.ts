import type { AddressInfo } from 'node:net';
import type { Config } from './config.js';
import { InboxStore } from './connectors/inbox.js';
import { InboxWorker, type InboxWorkerOptions } from './connectors/inbox-worker.js';
import { type ConnectorOptions, registerConnectors } from './connectors/index.js';
import { type DatabaseHandle, openDatabase } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import type { Deps } from './deps.js';
import { registerFeatures } from './features/index.js';
import { healthRoutes } from './http/health.js';
import { closeHttpServer, createHttpServer, type HttpServerLimits, type Route, sendJson } from './http/server.js';
import type { Logger } from './logger.js';
import { createMetrics, registerBacklogGauges } from './metrics.js';
import { Scheduler } from './scheduler.js';
import { AccessList } from './slack/access.js';
import { createSlackApp } from './slack/app.js';
import { createSlackClients } from './slack/client.js';
import { skipRepeatedEvents } from './slack/dedupe.js';
import { OutboxStore } from './slack/outbox-store.js';
import { OutboxWorker, type OutboxWorkerOptions } from './slack/outbox-worker.js';
import { UserDirectory } from './slack/user-directory.js';

export interface Tandem {
  scheduler: Scheduler;
  /** The port actually bound (useful with PORT=0). */
  port: number;
  deps: Deps;
  /** The database handle: its pool, LISTEN and close (tests stop it to simulate an outage). */
  database: DatabaseHandle;
  outbox: OutboxWorker;
  /** Processes CRM connector events stored by their routes. */
  inbox: InboxWorker;
  /** Stops taking requests, finishes what is in flight, closes the database. */
  stop(): Promise<void>;
}

export interface StartOptions {
  outbox?: OutboxWorkerOptions;
  inbox?: InboxWorkerOptions;
  connectors?: ConnectorOptions;
  /** Slow-client limits of the HTTP server (tests shorten them). */
  http?: Partial<HttpServerLimits>;
  /**
   * More routes on Tandem's HTTP server. Only the demo passes any (its page and API): an option of the code that
   * starts Tandem, never an environment variable, so `npm start` cannot be made to serve them.
   */
  extraRoutes?: Route[];
}

const OUTBOX_GAUGES = {
  pending: 'Slack deliveries waiting in the outbox',
  failed: 'Slack deliveries given up on (replay with npm run outbox)',
  oldest: 'Age of the oldest undelivered outbox row',
};
const INBOX_GAUGES = {
  pending: 'CRM events stored and waiting to be processed',
  failed: 'CRM events given up on (replay with npm run connector)',
  oldest: 'Age of the oldest CRM event not yet processed',
};

/**
 * Boots Tandem in order: database (+migrations) → Slack → features and connectors → outbox worker → connector
 * inbox worker → scheduler → HTTP.
 */
export async function startTandem(config: Config, logger: Logger, options: StartOptions = {}): Promise<Tandem> {
  const metrics = createMetrics();
  const database: DatabaseHandle = await openDatabase({
    url: config.database.url,
    dataDir: config.database.dataDir,
    logger,
  });
  try {
    await migrateToLatest(database.db, logger);
  } catch (err) {
    await database.close();
    throw err;
  }

  const slack = createSlackClients(config.slack, logger, metrics);
  const outboxRows = new OutboxStore(database.db);
  registerBacklogGauges(metrics, 'tandem_outbox', OUTBOX_GAUGES, () => outboxRows.backlog());
  const users = new UserDirectory(slack.interactive, logger.child({ component: 'users' }));
  const access = new AccessList(slack.interactive, logger.child({ component: 'access' }));
  const deps: Deps = { config, db: database.db, logger, metrics, slack, users, access };
  if (config.webhookSecrets.length === 0)
    logger.warn('WEBHOOK_SECRET is not set: the /webhooks routes answer 503 until it is');
  const slackApp = createSlackApp(config, logger, metrics, slack);
  slackApp.app.use(skipRepeatedEvents(database.db, logger));
  const features = registerFeatures(slackApp.app, deps);
  const connectors = registerConnectors(deps, options.connectors);
  const inboxRows = new InboxStore(database.db);
  registerBacklogGauges(metrics, 'tandem_connector_inbox', INBOX_GAUGES, () => inboxRows.backlog());
  const scheduler = new Scheduler(logger.child({ component: 'scheduler' }));
  const outbox = new OutboxWorker(
    { database, slack: slack.delivery, logger, metrics },
    { pace: config.slack.postPace, ...options.outbox },
  );
  const inbox = new InboxWorker({ database, logger, metrics }, connectors.handlers, options.inbox);

  let shuttingDown = false;
  const slackRoute: Route = {
    method: 'POST',
    path: '/slack/events',
    handle(req, res) {
      if (!slackApp.handleRequest) {
        req.resume();
        return sendJson(res, 404, {
          ok: false,
          error: 'socket_mode',
          message: 'Tandem receives Slack events over Socket Mode',
        });
      }
      slackApp.handleRequest(req, res);
    },
  };
  const server = createHttpServer(
    [
      ...healthRoutes(database, metrics, () => shuttingDown),
      slackRoute,
      ...features.routes,
      ...connectors.routes,
      ...(options.extraRoutes ?? []),
    ],
    logger,
    metrics,
    options.http,
  );

  await outbox.start();
  await inbox.start();
  scheduler.start(features.jobs);
  slackApp.start();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  logger.info({ port, mode: config.slack.socketMode ? 'socket' : 'http', database: database.kind }, 'Tandem is up');

  return {
    port,
    deps,
    database,
    outbox,
    inbox,
    scheduler,
    async stop() {
      if (shuttingDown) return;
      shuttingDown = true;
      logger.info('shutting down');
      await closeHttpServer(server, 5_000);
      await slackApp.stop();
      await scheduler.stop();
      // The inbox feeds the outbox: stop the producer first so what it commits is still delivered by this process.
      await inbox.stop();
      await outbox.stop();
      await database.close();
      logger.info('stopped');
    },
  };
}
