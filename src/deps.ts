import type { Config } from './config.js';
import type { Db } from './db/database.js';
import type { Route } from './http/server.js';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';
import type { Job } from './scheduler.js';
import type { AccessList } from './slack/access.js';
import type { SlackClients } from './slack/client.js';
import type { UserDirectory } from './slack/user-directory.js';

/** What a feature is given to work with. Passed in, never imported, so tests build features with real parts. */
export interface Deps {
  config: Config;
  db: Db;
  logger: Logger;
  metrics: Metrics;
  slack: SlackClients;
  /** Slack users by email, cached. */
  users: UserDirectory;
  /** Who may run the commands that CAMPAIGN_POSTERS and DIGEST_VIEWERS restrict. */
  access: AccessList;
}

/** What a feature adds besides its Slack listeners: HTTP routes and scheduled jobs. */
export interface FeatureParts {
  routes?: Route[];
  jobs?: Job[];
}
